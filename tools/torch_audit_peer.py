#!/usr/bin/env python3
# PyTorch peer of align4j's AuditScanBenchmark: the greedy decoding an audit runs, on a GPT-2-small-shaped model
# (124M parameters, random weights: vocab 50257, context 1024, d_model 768, 12 layers, 12 heads, GELU tanh,
# tied output), 48 new tokens after a 33-token prompt (BOS + 32), in batches of 16 with a hand-written KV cache,
# like ../shared/peers/torch_peer.py does for the d_model 256 model. Prints examples per second.
# Needs the Debian package python3-torch; run with /usr/bin/python3. OMP_WAIT_POLICY=PASSIVE and 2 threads, as the
# other peer (without it Debian torch's OpenMP threads spin against OpenBLAS's).
# usage: /usr/bin/python3 tools/torch_audit_peer.py [examples] [batch] [threads]
import os; os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import math, sys, time, torch, torch.nn as nn, torch.nn.functional as F
EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 64
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 16
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2); torch.manual_seed(1)
V, T, D, H, L, PROMPT, NEW = 50257, 1024, 768, 12, 12, 33, 48
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(D); s.qkv = nn.Linear(D, 3 * D); s.o = nn.Linear(D, D)
        s.ln2 = nn.LayerNorm(D); s.w1 = nn.Linear(D, 4 * D); s.w2 = nn.Linear(4 * D, D)
    def attn(s, x, cache):
        b, t, _ = x.shape
        q, k, v = s.qkv(x).split(D, 2)
        q, k, v = [z.view(b, t, H, D // H).transpose(1, 2) for z in (q, k, v)]
        if 'k' in cache: k = torch.cat([cache['k'], k], 2); v = torch.cat([cache['v'], v], 2)
        cache['k'], cache['v'] = k, v
        tk = k.shape[2]
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H)
        mask = torch.ones(t, tk, dtype=torch.bool).tril(tk - t)
        att = att.masked_fill(~mask, float('-inf')).softmax(-1)
        return s.o((att @ v).transpose(1, 2).reshape(b, t, D))
    def forward(s, x, cache):
        x = x + s.attn(s.ln1(x), cache)
        return x + s.w2(F.gelu(s.w1(s.ln2(x)), approximate='tanh'))
class Lm(nn.Module):
    def __init__(s):
        super().__init__(); s.tok = nn.Embedding(V, D); s.pos = nn.Embedding(T, D)
        s.blocks = nn.ModuleList([Block() for _ in range(L)]); s.lnf = nn.LayerNorm(D)
        for p in s.parameters():
            if p.dim() > 1: nn.init.normal_(p, std=0.02)
    def forward(s, ids, caches, start):
        x = s.tok(ids) + s.pos(torch.arange(start, start + ids.shape[1]))
        for blk, cache in zip(s.blocks, caches): x = blk(x, cache)
        return s.lnf(x[:, -1:]) @ s.tok.weight.t()
m = Lm().eval(); print("params", sum(p.numel() for p in m.parameters()))
@torch.inference_mode()
def greedy(prompts):
    caches = [dict() for _ in range(L)]
    nxt = m(prompts, caches, 0)[:, -1].argmax(-1, keepdim=True); out = [nxt]
    for i in range(NEW - 1):
        nxt = m(nxt, caches, PROMPT + i)[:, -1].argmax(-1, keepdim=True); out.append(nxt)
    return torch.cat(out, 1)
data = torch.randint(0, V - 1, (EXAMPLES, PROMPT))
greedy(data[:BATCH])
for rep in range(3):
    t0 = time.perf_counter()
    for start in range(0, EXAMPLES, BATCH): greedy(data[start:start + BATCH])
    dt = time.perf_counter() - t0
    print(f"torch audit decoding: {EXAMPLES} examples at batch {BATCH} in {dt:.2f} s, {EXAMPLES / dt:.2f} examples/s")
