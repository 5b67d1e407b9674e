package org.align4j.core.model.internal;

import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The constants through which {@link TransformerGraph} implements rotary positions and grouped-query attention as
 * linear maps on [B*T, width] projections (so that SameDiff differentiates them like any product): rotation is
 * {@code x cos + (x R) sin} with R the block-diagonal "rotate half" matrix and cos, sin per position and column;
 * shared key/value heads are expanded to the query heads by a 0/1 matrix that copies each head's columns.
 */
final class GraphConstants {

  private final SameDiff sd;
  private final int seqLen;
  private final int d;
  private final SDVariable cos;
  private final SDVariable sin;
  private final SDVariable rotateHalf;
  private final SDVariable expand;

  GraphConstants(SameDiff sd, TransformerConfig c, int seqLen) {
    this.sd = sd;
    this.seqLen = seqLen;
    this.d = c.dModel();
    int hd = c.headDim();
    int half = hd / 2;
    Architecture.Rope rope = c.architecture().rope();
    if (rope != null) {
      double[] freq = rope.inverseFrequencies(hd);
      INDArray cosArray = Nd4j.create(DataType.FLOAT, seqLen, d);
      INDArray sinArray = Nd4j.create(DataType.FLOAT, seqLen, d);
      INDArray r = Nd4j.create(DataType.FLOAT, d, d);
      for (int h = 0; h < c.heads(); h++) {
        for (int i = 0; i < half; i++) {
          int a = h * hd + i;
          int b = a + half;
          r.putScalar(b, a, -1); // (x R)[a] = -x[b]
          r.putScalar(a, b, 1); // (x R)[b] = x[a]
          for (int t = 0; t < seqLen; t++) {
            double angle = t * freq[i];
            cosArray.putScalar(t, a, Math.cos(angle));
            cosArray.putScalar(t, b, Math.cos(angle));
            sinArray.putScalar(t, a, Math.sin(angle));
            sinArray.putScalar(t, b, Math.sin(angle));
          }
        }
      }
      cos = sd.constant("rope_cos", cosArray);
      sin = sd.constant("rope_sin", sinArray);
      rotateHalf = sd.constant("rope_rotate_half", r);
    } else {
      cos = sin = rotateHalf = null;
    }
    int group = c.heads() / c.kvHeads();
    if (group > 1) {
      INDArray e = Nd4j.create(DataType.FLOAT, (long) c.kvHeads() * hd, d);
      for (int h = 0; h < c.heads(); h++) {
        for (int i = 0; i < hd; i++) {
          e.putScalar((long) (h / group) * hd + i, (long) h * hd + i, 1);
        }
      }
      expand = sd.constant("kv_expand", e);
    } else {
      expand = null;
    }
  }

  /** Rotary position embedding of projections [B*T, d] (row b*T + t at position t); unchanged without it. */
  SDVariable rotate(SDVariable x) {
    if (cos == null) {
      return x;
    }
    SDVariable rows = sd.reshape(x, -1, seqLen, d);
    SDVariable turned = sd.reshape(x.mmul(rotateHalf), -1, seqLen, d);
    return sd.reshape(rows.mul(cos).add(turned.mul(sin)), -1, d);
  }

  /** Key or value projections [B*T, KV*hd] expanded to every query head, [B*T, d]; unchanged without sharing. */
  SDVariable shareKv(SDVariable x) {
    return expand == null ? x : x.mmul(expand);
  }
}
