package org.align4j.core.model;

import org.align4j.core.util.Args;

/**
 * The shape of a decoder-only causal transformer: pre-layer-norm blocks, learned positions, tied input and output
 * embeddings, GELU MLP.
 *
 * @param vocabSize number of token ids
 * @param contextLength the longest sequence the model reads
 * @param dModel width of the residual stream; divisible by {@code heads}
 * @param heads attention heads per layer
 * @param layers transformer blocks
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dModel}
 * @param dropout dropout probability in training, in [0, 1)
 */
public record TransformerConfig(
    int vocabSize, int contextLength, int dModel, int heads, int layers, int mlpRatio, double dropout) {

  /** Validates the shape. */
  public TransformerConfig {
    Args.check(vocabSize >= 2, "vocabSize must be >= 2, got " + vocabSize);
    Args.positive("contextLength", contextLength);
    Args.positive("dModel", dModel);
    Args.positive("heads", heads);
    Args.positive("layers", layers);
    Args.positive("mlpRatio", mlpRatio);
    Args.inClosedOpen("dropout", dropout, 0, 1);
    Args.check(dModel % heads == 0,
        "dModel must be divisible by heads, got dModel=" + dModel + " heads=" + heads);
  }

  /** Width of one attention head. */
  public int headDim() {
    return dModel / heads;
  }

  /** Hidden width of the MLP. */
  public int mlpDim() {
    return dModel * mlpRatio;
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    long d = dModel;
    long perLayer = 4 * d + (4 * d * d + 4 * d) + (2 * d * mlpDim() + mlpDim() + d);
    return (long) vocabSize * d + (long) contextLength * d + layers * perLayer + 2 * d;
  }

  /**
   * Forward-pass floating-point operations per token at full context (2 per multiply-add; attention counted over
   * the whole causal window as in the usual 6N + 12·L·T·d training estimate, whose forward third this is).
   */
  public double forwardFlopsPerToken() {
    double matmulParams = layers * (4.0 * dModel * dModel + 2.0 * dModel * mlpDim()) + (double) vocabSize * dModel;
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

    /** Validates and builds. */
    public TransformerConfig build() {
      return new TransformerConfig(vocabSize, contextLength, dModel, heads, layers, mlpRatio, dropout);
    }
  }
}
