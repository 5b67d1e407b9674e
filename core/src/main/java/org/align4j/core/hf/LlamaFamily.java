package org.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;

/**
 * The Llama family ({@code LlamaForCausalLM}, {@code Qwen2ForCausalLM}, {@code MistralForCausalLM} without a
 * sliding window): RMS norms, rotary positions (theta; linear or Llama 3 scaling), SwiGLU, grouped-query attention,
 * {@code nn.Linear} weights stored {@code [out, in]}, an output layer tied or not; Qwen2 adds biases to the query,
 * key and value projections.
 */
final class LlamaFamily implements Family {

  @Override
  public List<String> architectures() {
    return List.of("LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM");
  }

  @Override
  public TransformerConfig config(HfConfig c) {
    String act = c.text("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw c.unsupported("hidden_act=" + act + " (supported: silu)");
    }
    c.requireDefault("attention_bias", false, "a bias on every attention projection");
    c.requireDefault("mlp_bias", false, "MLP biases");
    c.requireDefault("use_sliding_window", false, "sliding-window attention");
    String arch = c.root().path("architectures").path(0).asText("");
    if (arch.startsWith("Mistral") && c.has("sliding_window")) {
      throw c.unsupported("sliding_window=" + c.integer("sliding_window") + " (sliding-window attention)");
    }
    int d = c.integer("hidden_size");
    int heads = c.integer("num_attention_heads");
    if (c.has("head_dim") && c.integer("head_dim") * heads != d) {
      throw c.unsupported("head_dim=" + c.integer("head_dim") + " (heads not splitting hidden_size evenly)");
    }
    Architecture.Rope rope = rope(c);
    boolean qkvBias = arch.startsWith("Qwen2");
    Architecture a = new Architecture(Architecture.Norm.RMS, c.number("rms_norm_eps", 1e-6),
        Architecture.Activation.SWIGLU, rope, c.integer("num_key_value_heads", heads),
        c.integer("intermediate_size"), qkvBias, false, c.bool("tie_word_embeddings", false));
    return TransformerConfig.builder().vocabSize(c.integer("vocab_size"))
        .contextLength(c.integer("max_position_embeddings")).dModel(d).heads(heads)
        .layers(c.integer("num_hidden_layers")).mlpRatio(1).architecture(a).build();
  }

  private static Architecture.Rope rope(HfConfig c) {
    double theta = c.number("rope_theta", 10000);
    JsonNode s = c.root().get("rope_scaling");
    if (s == null || s.isNull()) {
      return Architecture.Rope.of(theta);
    }
    String type = s.path("rope_type").asText(s.path("type").asText("default"));
    double factor = s.path("factor").asDouble(1);
    return switch (type) {
      case "default" -> Architecture.Rope.of(theta);
      case "linear" -> new Architecture.Rope(theta, Architecture.RopeScaling.LINEAR, factor, 0, 0, 0);
      case "llama3" -> new Architecture.Rope(theta, Architecture.RopeScaling.LLAMA3, factor,
          s.path("low_freq_factor").asDouble(), s.path("high_freq_factor").asDouble(),
          s.path("original_max_position_embeddings").asInt());
      default -> throw c.unsupported("rope_scaling type " + type + " (supported: linear, llama3)");
    };
  }

  @Override
  public Map<String, float[]> weights(TransformerConfig c, SafeTensorsFolder tensors, String where) {
    TensorTaker t = new TensorTaker(tensors, where, n -> n.endsWith("rotary_emb.inv_freq"));
    int d = c.dModel();
    int kv = c.kvHeads() * c.headDim();
    int m = c.mlpDim();
    Architecture a = c.architecture();
    Map<String, float[]> w = new LinkedHashMap<>();
    w.put("tok_emb", t.take("model.embed_tokens.weight", c.vocabSize(), d));
    for (int l = 0; l < c.layers(); l++) {
      String h = "model.layers." + l + ".";
      String p = "l" + l + ".";
      w.put(p + "ln1.g", t.take(h + "input_layernorm.weight", d));
      w.put(p + "attn.wq", t.takeLinear(h + "self_attn.q_proj.weight", d, d));
      if (a.qkvBias()) {
        w.put(p + "attn.bq", t.take(h + "self_attn.q_proj.bias", d));
      }
      w.put(p + "attn.wk", t.takeLinear(h + "self_attn.k_proj.weight", kv, d));
      if (a.qkvBias()) {
        w.put(p + "attn.bk", t.take(h + "self_attn.k_proj.bias", kv));
      }
      w.put(p + "attn.wv", t.takeLinear(h + "self_attn.v_proj.weight", kv, d));
      if (a.qkvBias()) {
        w.put(p + "attn.bv", t.take(h + "self_attn.v_proj.bias", kv));
      }
      w.put(p + "attn.wo", t.takeLinear(h + "self_attn.o_proj.weight", d, d));
      w.put(p + "ln2.g", t.take(h + "post_attention_layernorm.weight", d));
      w.put(p + "mlp.w1", t.takeLinear(h + "mlp.gate_proj.weight", m, d));
      w.put(p + "mlp.w3", t.takeLinear(h + "mlp.up_proj.weight", m, d));
      w.put(p + "mlp.w2", t.takeLinear(h + "mlp.down_proj.weight", d, m));
    }
    w.put("lnf.g", t.take("model.norm.weight", d));
    if (a.tiedOutput()) {
      t.skip("lm_head.weight");
    } else {
      w.put("lm_head", t.take("lm_head.weight", c.vocabSize(), d));
    }
    t.finish();
    return w;
  }

  @Override
  public Map<String, Object> configJson(TransformerConfig c, int bosId, int eosId) {
    Architecture a = c.architecture();
    boolean qwen = a.qkvBias();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("architectures", List.of(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"));
    j.put("model_type", qwen ? "qwen2" : "llama");
    j.put("vocab_size", c.vocabSize());
    j.put("hidden_size", c.dModel());
    j.put("intermediate_size", c.mlpDim());
    j.put("num_hidden_layers", c.layers());
    j.put("num_attention_heads", c.heads());
    j.put("num_key_value_heads", c.kvHeads());
    j.put("max_position_embeddings", c.contextLength());
    j.put("hidden_act", "silu");
    j.put("rms_norm_eps", a.normEps());
    Architecture.Rope rope = a.rope();
    j.put("rope_theta", rope.theta());
    j.put("rope_scaling", switch (rope.scaling()) {
      case NONE -> null;
      case LINEAR -> Map.of("rope_type", "linear", "factor", rope.factor());
      case LLAMA3 -> Map.of("rope_type", "llama3", "factor", rope.factor(), "low_freq_factor",
          rope.lowFreqFactor(), "high_freq_factor", rope.highFreqFactor(), "original_max_position_embeddings",
          rope.originalContext());
    });
    if (qwen) {
      j.put("use_sliding_window", false);
    } else {
      j.put("attention_bias", false);
      j.put("mlp_bias", false);
    }
    j.put("attention_dropout", 0.0);
    j.put("tie_word_embeddings", a.tiedOutput());
    j.put("bos_token_id", bosId);
    j.put("eos_token_id", eosId);
    j.put("torch_dtype", "float32");
    return j;
  }

  @Override
  public List<Tensor> tensors(TransformerConfig c, Map<String, float[]> w) {
    int d = c.dModel();
    int kv = c.kvHeads() * c.headDim();
    int m = c.mlpDim();
    List<Tensor> out = new ArrayList<>();
    out.add(Tensor.ofFloats("model.embed_tokens.weight", new long[] {c.vocabSize(), d}, w.get("tok_emb")));
    for (int l = 0; l < c.layers(); l++) {
      String h = "model.layers." + l + ".";
      String p = "l" + l + ".";
      out.add(Tensor.ofFloats(h + "input_layernorm.weight", new long[] {d}, w.get(p + "ln1.g")));
      out.add(linear(h + "self_attn.q_proj.weight", w.get(p + "attn.wq"), d, d));
      out.add(linear(h + "self_attn.k_proj.weight", w.get(p + "attn.wk"), d, kv));
      out.add(linear(h + "self_attn.v_proj.weight", w.get(p + "attn.wv"), d, kv));
      if (c.architecture().qkvBias()) {
        out.add(Tensor.ofFloats(h + "self_attn.q_proj.bias", new long[] {d}, w.get(p + "attn.bq")));
        out.add(Tensor.ofFloats(h + "self_attn.k_proj.bias", new long[] {kv}, w.get(p + "attn.bk")));
        out.add(Tensor.ofFloats(h + "self_attn.v_proj.bias", new long[] {kv}, w.get(p + "attn.bv")));
      }
      out.add(linear(h + "self_attn.o_proj.weight", w.get(p + "attn.wo"), d, d));
      out.add(Tensor.ofFloats(h + "post_attention_layernorm.weight", new long[] {d}, w.get(p + "ln2.g")));
      out.add(linear(h + "mlp.gate_proj.weight", w.get(p + "mlp.w1"), d, m));
      out.add(linear(h + "mlp.up_proj.weight", w.get(p + "mlp.w3"), d, m));
      out.add(linear(h + "mlp.down_proj.weight", w.get(p + "mlp.w2"), m, d));
    }
    out.add(Tensor.ofFloats("model.norm.weight", new long[] {d}, w.get("lnf.g")));
    if (!c.architecture().tiedOutput()) {
      out.add(Tensor.ofFloats("lm_head.weight", new long[] {c.vocabSize(), d}, w.get("lm_head")));
    }
    return out;
  }

  /** An align4j [in, out] matrix as an {@code nn.Linear} weight [out, in]. */
  private static Tensor linear(String name, float[] values, int in, int out) {
    return Tensor.ofFloats(name, new long[] {out, in}, TensorTaker.transpose(values, in, out));
  }
}
