package org.align4j.core.model.internal;

import java.util.List;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One pre-norm block of a {@link TransformerBackprop.Pass}: its forward pass, which keeps the activations the
 * backward pass needs, and its backward pass from the gradient of its output to that of its input, adding its
 * weights' gradient terms on the way.
 */
final class BackpropBlock {

  /** ND4J's GELU is {@code x * sigmoid(GELU_K * x)}. */
  private static final double GELU_K = 1.702;

  private final TransformerWeights w;
  private final TransformerConfig c;
  private final int index;
  private final String p;
  private final INDArray qkvWeight;
  private final Attention attention;
  private final int b;
  private final int t;
  private final double dropout;
  private LayerNorm norm1;
  private LayerNorm norm2;
  private INDArray qkv;
  private INDArray probs;
  private INDArray merged;
  private INDArray attnMask;
  private INDArray gateSigmoid;
  private INDArray gelu;
  private INDArray mlpMask;

  /**
   * Block {@code index} of a pass over {@code b} rows of {@code t} tokens.
   *
   * @param dropout the dropout probability to apply, 0 for none
   */
  BackpropBlock(TransformerWeights w, int index, int b, int t, double dropout) {
    this.w = w;
    this.c = w.config();
    this.index = index;
    this.p = "l" + index + ".";
    this.qkvWeight = Affine.qkvWeight(w, index);
    this.b = b;
    this.t = t;
    this.dropout = dropout;
    this.attention = Attention.of(b, t, c.heads(), c.headDim());
  }

  INDArray forward(INDArray x) {
    norm1 = new LayerNorm(w, p + "ln1", x);
    qkv = Affine.apply(norm1.out, qkvWeight, Affine.qkvBias(w, index));
    merged = Nd4j.createUninitialized(DataType.FLOAT, (long) b * t, c.dModel());
    probs = attention.forward(qkv, merged);
    INDArray attn = Affine.apply(merged, w.get(p + "attn.wo"), w.get(p + "attn.bo"));
    attnMask = dropoutMask(attn, dropout);
    INDArray mid = x.addi(attn);
    norm2 = new LayerNorm(w, p + "ln2", mid);
    INDArray preGelu = Affine.apply(norm2.out, w.get(p + "mlp.w1"), w.get(p + "mlp.b1"));
    gateSigmoid = Transforms.sigmoid(preGelu.mul(GELU_K), false);
    gelu = preGelu.muli(gateSigmoid);
    INDArray mlp = Affine.apply(gelu, w.get(p + "mlp.w2"), w.get(p + "mlp.b2"));
    mlpMask = dropoutMask(mlp, dropout);
    return mid.add(mlp);
  }

  /**
   * Takes the gradient of the block's output, adds its weights' terms (the rows being {@code examples} examples'
   * consecutive rows) and returns its input's gradient.
   */
  INDArray backward(INDArray dOut, int examples, List<GradientTerm> terms) {
    INDArray dMlp = mlpMask == null ? dOut : dOut.mul(mlpMask);
    terms.add(new ProductTerm(List.of(p + "mlp.w2"), gelu, dMlp, examples));
    terms.add(new RowSumTerm(List.of(p + "mlp.b2"), dMlp, examples));
    INDArray dGelu = Affine.product(dMlp, w.get(p + "mlp.w2"), false, true);
    INDArray dPre = dGelu.muli(geluDerivative(gateSigmoid, gelu));
    terms.add(new ProductTerm(List.of(p + "mlp.w1"), norm2.out, dPre, examples));
    terms.add(new RowSumTerm(List.of(p + "mlp.b1"), dPre, examples));
    INDArray dMid = norm2.backward(Affine.product(dPre, w.get(p + "mlp.w1"), false, true), examples, terms)
        .addi(dOut);

    INDArray dAttn = attnMask == null ? dMid : dMid.mul(attnMask);
    terms.add(new ProductTerm(List.of(p + "attn.wo"), merged, dAttn, examples));
    terms.add(new RowSumTerm(List.of(p + "attn.bo"), dAttn, examples));
    INDArray dMerged = Affine.product(dAttn, w.get(p + "attn.wo"), false, true);
    INDArray dProj = attention.backward(qkv, probs, dMerged);
    terms.add(
        new ProductTerm(List.of(p + "attn.wq", p + "attn.wk", p + "attn.wv"), norm1.out, dProj, examples));
    terms.add(new RowSumTerm(List.of(p + "attn.bq", p + "attn.bk", p + "attn.bv"), dProj, examples));
    return norm1.backward(Affine.product(dProj, qkvWeight, false, true), examples, terms).addi(dMid);
  }

  /**
   * Inverted dropout with probability {@code rate}, applied to {@code like} in place, drawn from ND4J's global
   * random generator; returns the mask, or null (leaving {@code like} as it is) when {@code rate} is 0.
   */
  static INDArray dropoutMask(INDArray like, double rate) {
    if (rate == 0) {
      return null;
    }
    double keep = 1.0 - rate;
    INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, like.shape());
    Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, keep), Nd4j.getRandom());
    mask.muli(1.0 / keep);
    like.muli(mask);
    return mask;
  }

  /**
   * {@code d/du [u * sigmoid(k u)] = s + k u s (1 - s) = s + k g (1 - s)} from {@code s = sigmoid(k u)} and the
   * GELU output {@code g = u s}.
   */
  private static INDArray geluDerivative(INDArray s, INDArray g) {
    return s.rsub(1.0).muli(g).muli(GELU_K).addi(s);
  }
}
