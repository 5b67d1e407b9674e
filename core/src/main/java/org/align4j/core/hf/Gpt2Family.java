package org.align4j.core.hf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;

/**
 * GPT-2 ({@code GPT2LMHeadModel}): learned positions, layer norms, GELU's tanh approximation, fused query/key/value
 * projection {@code c_attn}, every matrix stored {@code [in, out]} (Conv1D), output tied to {@code wte}. Tensor
 * names may carry the {@code transformer.} prefix (as {@code save_pretrained} writes them) or not (as the original
 * checkpoints do); the causal-mask buffers {@code attn.bias} and {@code attn.masked_bias} are ignored.
 */
final class Gpt2Family implements Family {

  private static final List<String> TANH_GELUS = List.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast");

  @Override
  public List<String> architectures() {
    return List.of("GPT2LMHeadModel", "GPT2Model");
  }

  @Override
  public TransformerConfig config(HfConfig c) {
    String activation = c.text("activation_function", "gelu_new");
    if (!TANH_GELUS.contains(activation)) {
      throw c.unsupported("activation_function=" + activation + " (supported: " + TANH_GELUS + ")");
    }
    c.requireDefault("scale_attn_by_inverse_layer_idx", false, "per-layer attention scaling");
    c.requireDefault("scale_attn_weights", true, "unscaled attention");
    c.requireDefault("add_cross_attention", false, "cross-attention");
    c.requireDefault("tie_word_embeddings", true, "an untied output layer");
    int d = c.integer("n_embd");
    int inner = c.integer("n_inner", 4 * d);
    Architecture a = new Architecture(Architecture.Norm.LAYER, c.number("layer_norm_epsilon", 1e-5),
        Architecture.Activation.GELU_TANH, null, 0, inner, true, true, true);
    return TransformerConfig.builder().vocabSize(c.integer("vocab_size")).contextLength(c.integer("n_positions"))
        .dModel(d).heads(c.integer("n_head")).layers(c.integer("n_layer")).mlpRatio(4).architecture(a).build();
  }

  @Override
  public Map<String, float[]> weights(TransformerConfig c, SafeTensorsFolder tensors, String where) {
    String pre = tensors.contains("transformer.wte.weight") ? "transformer." : "";
    TensorTaker t = new TensorTaker(tensors, where, n -> n.endsWith(".attn.bias") || n.endsWith(".attn.masked_bias"));
    int d = c.dModel();
    int m = c.mlpDim();
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("tok_emb", t.take(pre + "wte.weight", c.vocabSize(), d));
    w.put("pos_emb", t.take(pre + "wpe.weight", c.contextLength(), d));
    for (int l = 0; l < c.layers(); l++) {
      String h = pre + "h." + l + ".";
      String p = "l" + l + ".";
      w.put(p + "ln1.g", t.take(h + "ln_1.weight", d));
      w.put(p + "ln1.b", t.take(h + "ln_1.bias", d));
      float[] qkv = t.take(h + "attn.c_attn.weight", d, 3 * d);
      float[] qkvBias = t.take(h + "attn.c_attn.bias", 3 * d);
      String[] parts = {"q", "k", "v"};
      for (int i = 0; i < 3; i++) {
        w.put(p + "attn.w" + parts[i], columns(qkv, d, 3 * d, i * d, d));
        w.put(p + "attn.b" + parts[i], java.util.Arrays.copyOfRange(qkvBias, i * d, (i + 1) * d));
      }
      w.put(p + "attn.wo", t.take(h + "attn.c_proj.weight", d, d));
      w.put(p + "attn.bo", t.take(h + "attn.c_proj.bias", d));
      w.put(p + "ln2.g", t.take(h + "ln_2.weight", d));
      w.put(p + "ln2.b", t.take(h + "ln_2.bias", d));
      w.put(p + "mlp.w1", t.take(h + "mlp.c_fc.weight", d, m));
      w.put(p + "mlp.b1", t.take(h + "mlp.c_fc.bias", m));
      w.put(p + "mlp.w2", t.take(h + "mlp.c_proj.weight", m, d));
      w.put(p + "mlp.b2", t.take(h + "mlp.c_proj.bias", d));
    }
    w.put("lnf.g", t.take(pre + "ln_f.weight", d));
    w.put("lnf.b", t.take(pre + "ln_f.bias", d));
    t.skip("lm_head.weight");
    t.finish();
    return w;
  }

  /** Columns {@code [from, from + n)} of a [rows, cols] row-major matrix. */
  private static float[] columns(float[] a, int rows, int cols, int from, int n) {
    float[] out = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * cols + from, out, r * n, n);
    }
    return out;
  }

  @Override
  public Map<String, Object> configJson(TransformerConfig c, int bosId, int eosId) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("architectures", List.of(architectures().get(0)));
    j.put("model_type", "gpt2");
    j.put("vocab_size", c.vocabSize());
    j.put("n_positions", c.contextLength());
    j.put("n_ctx", c.contextLength());
    j.put("n_embd", c.dModel());
    j.put("n_layer", c.layers());
    j.put("n_head", c.heads());
    j.put("n_inner", c.mlpDim());
    j.put("activation_function", "gelu_new");
    j.put("layer_norm_epsilon", c.architecture().normEps());
    j.put("resid_pdrop", c.dropout());
    j.put("embd_pdrop", c.dropout());
    j.put("attn_pdrop", c.dropout());
    j.put("bos_token_id", bosId);
    j.put("eos_token_id", eosId);
    j.put("tie_word_embeddings", true);
    j.put("torch_dtype", "float32");
    return j;
  }

  @Override
  public List<Tensor> tensors(TransformerConfig c, Map<String, float[]> w) {
    int d = c.dModel();
    int m = c.mlpDim();
    List<Tensor> out = new ArrayList<>();
    String pre = "transformer.";
    out.add(Tensor.ofFloats(pre + "wte.weight", new long[] {c.vocabSize(), d}, w.get("tok_emb")));
    out.add(Tensor.ofFloats(pre + "wpe.weight", new long[] {c.contextLength(), d}, w.get("pos_emb")));
    for (int l = 0; l < c.layers(); l++) {
      String h = pre + "h." + l + ".";
      String p = "l" + l + ".";
      out.add(Tensor.ofFloats(h + "ln_1.weight", new long[] {d}, w.get(p + "ln1.g")));
      out.add(Tensor.ofFloats(h + "ln_1.bias", new long[] {d}, w.get(p + "ln1.b")));
      float[] qkv = new float[d * 3 * d];
      float[] qkvBias = new float[3 * d];
      String[] parts = {"q", "k", "v"};
      for (int i = 0; i < 3; i++) {
        float[] part = w.get(p + "attn.w" + parts[i]);
        for (int r = 0; r < d; r++) {
          System.arraycopy(part, r * d, qkv, r * 3 * d + i * d, d);
        }
        System.arraycopy(w.get(p + "attn.b" + parts[i]), 0, qkvBias, i * d, d);
      }
      out.add(Tensor.ofFloats(h + "attn.c_attn.weight", new long[] {d, 3 * d}, qkv));
      out.add(Tensor.ofFloats(h + "attn.c_attn.bias", new long[] {3 * d}, qkvBias));
      out.add(Tensor.ofFloats(h + "attn.c_proj.weight", new long[] {d, d}, w.get(p + "attn.wo")));
      out.add(Tensor.ofFloats(h + "attn.c_proj.bias", new long[] {d}, w.get(p + "attn.bo")));
      out.add(Tensor.ofFloats(h + "ln_2.weight", new long[] {d}, w.get(p + "ln2.g")));
      out.add(Tensor.ofFloats(h + "ln_2.bias", new long[] {d}, w.get(p + "ln2.b")));
      out.add(Tensor.ofFloats(h + "mlp.c_fc.weight", new long[] {d, m}, w.get(p + "mlp.w1")));
      out.add(Tensor.ofFloats(h + "mlp.c_fc.bias", new long[] {m}, w.get(p + "mlp.b1")));
      out.add(Tensor.ofFloats(h + "mlp.c_proj.weight", new long[] {m, d}, w.get(p + "mlp.w2")));
      out.add(Tensor.ofFloats(h + "mlp.c_proj.bias", new long[] {d}, w.get(p + "mlp.b2")));
    }
    out.add(Tensor.ofFloats(pre + "ln_f.weight", new long[] {d}, w.get("lnf.g")));
    out.add(Tensor.ofFloats(pre + "ln_f.bias", new long[] {d}, w.get("lnf.b")));
    return out;
  }
}
