package org.align4j.core.model;

import org.align4j.core.util.Args;

/**
 * The shape of a decoder-only causal transformer: pre-norm blocks and the {@link Architecture} options (by default
 * this library's own: layer norm, learned positions, tied input and output embeddings, GELU MLP).
 *
 * @param vocabSize number of token ids
 * @param contextLength the longest sequence the model reads
 * @param dModel width of the residual stream; divisible by {@code heads}
 * @param heads attention heads per layer
 * @param layers transformer blocks
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dModel}
 * @param dropout dropout probability in training, in [0, 1)
 * @param architecture the architecture options; null for {@link Architecture#reference()} (as in checkpoints
 *     written before the options existed)
 */
public record TransformerConfig(int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio,
    double dropout, Architecture architecture) {

  /** A configuration of this library's own architecture. */
  public TransformerConfig(
      int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio, double dropout) {
    this(vocabSize, contextLength, dModel, heads, layers, mlpRatio, dropout, null);
  }

  /** Validates the shape; options equal to their defaults (as many key/value heads as heads) are normalised. */
  public TransformerConfig {
    Architecture a = architecture == null ? Architecture.reference() : architecture;
    if (a.kvHeads() == heads || a.mlpHidden() == (long) dModel * mlpRatio) {
      a = new Architecture(a.norm(), a.normEps(), a.activation(), a.rope(), a.kvHeads() == heads ? 0 : a.kvHeads(),
          a.mlpHidden() == (long) dModel * mlpRatio ? 0 : a.mlpHidden(), a.qkvBias(), a.denseBias(), a.tiedOutput());
    }
    architecture = a;
    Args.check(vocabSize >= 2, "vocabSize must be >= 2, got %s", vocabSize);
    Args.positive("contextLength", contextLength);
    Args.positive("dModel", dModel);
    Args.positive("heads", heads);
    Args.positive("layers", layers);
    Args.positive("mlpRatio", mlpRatio);
    Args.inClosedOpen("dropout", dropout, 0, 1);
    Args.check(dModel % heads == 0, "dModel must be divisible by heads, got dModel=%s heads=%s", dModel, heads);
    int kv = a.kvHeads() == 0 ? heads : a.kvHeads();
    Args.check(heads % kv == 0, "heads must be divisible by kvHeads, got heads=%s kvHeads=%s", heads, kv);
    Args.check(a.rope() == null || (dModel / heads) % 2 == 0, "rotary positions need an even head width, got %s",
        dModel / heads);
  }

  /** Key/value heads (fewer than {@link #heads()} under grouped-query attention). */
  public int kvHeads() {
    return architecture.kvHeads() == 0 ? heads : architecture.kvHeads();
  }

  /** Width of one attention head. */
  public int headDim() {
    return dModel / heads;
  }

  /** Hidden width of the MLP. */
  public int mlpDim() {
    return architecture.mlpHidden() == 0 ? dModel * mlpRatio : architecture.mlpHidden();
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    long n = 0;
    for (String name : TransformerWeights.names(this)) {
      long size = 1;
      for (long s : TransformerWeights.shape(this, name)) {
        size *= s;
      }
      n += size;
    }
    return n;
  }

  /**
   * Forward-pass floating-point operations per token at full context (2 per multiply-add; attention counted over
   * the whole causal window as in the usual 6N + 12·L·T·d training estimate, whose forward third this is).
   */
  public double forwardFlopsPerToken() {
    double kv = 2.0 * dModel * kvHeads() * headDim();
    double mlp = (architecture.activation() == Architecture.Activation.SWIGLU ? 3.0 : 2.0) * dModel * mlpDim();
    double matmulParams = layers * (2.0 * dModel * dModel + kv + mlp) + (double) vocabSize * dModel;
    double attention = 2.0 * layers * contextLength * dModel;
    return 2 * matmulParams + attention;
  }

  /** A builder starting from small defaults (d_model 64, 4 heads, 2 layers, context 64, MLP ratio 4). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TransformerConfig}; every setting has a default and is validated on {@link #build()}. */
  public static final class Builder {
    private int vocabSize = 259;
    private int contextLength = 64;
    private int dModel = 64;
    private int heads = 4;
    private int layers = 2;
    private int mlpRatio = 4;
    private double dropout = 0;
    private Architecture architecture = Architecture.reference();

    private Builder() {}

    /** Vocabulary size (default 259, the byte tokenizer's). */
    public Builder vocabSize(int v) {
      this.vocabSize = v;
      return this;
    }

    /** Context length (default 64). */
    public Builder contextLength(int t) {
      this.contextLength = t;
      return this;
    }

    /** Residual width (default 64). */
    public Builder dModel(int d) {
      this.dModel = d;
      return this;
    }

    /** Attention heads (default 4). */
    public Builder heads(int h) {
      this.heads = h;
      return this;
    }

    /** Number of blocks (default 2). */
    public Builder layers(int l) {
      this.layers = l;
      return this;
    }

    /** MLP width ratio (default 4). */
    public Builder mlpRatio(int r) {
      this.mlpRatio = r;
      return this;
    }

    /** Training dropout (default 0). */
    public Builder dropout(double p) {
      this.dropout = p;
      return this;
    }

    /** Architecture options (default {@link Architecture#reference()}). */
    public Builder architecture(Architecture a) {
      this.architecture = java.util.Objects.requireNonNull(a, "architecture");
      return this;
    }

    /** Validates and builds. */
    public TransformerConfig build() {
      return new TransformerConfig(vocabSize, contextLength, dModel, heads, layers, mlpRatio, dropout, architecture);
    }
  }
}
