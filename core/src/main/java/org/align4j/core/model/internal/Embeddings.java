package org.align4j.core.model.internal;

import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer's input: token plus position embeddings (token embeddings alone with rotary positions), gathered
 * row by row in Java.
 */
public final class Embeddings {

  private Embeddings() {}

  /**
   * {@code tok_emb[tokens[r]] + pos_emb[positions[r]]} for every r, [N, d]. Gathering from copies of the two small
   * tables is much faster than ND4J's {@code getRows}, which runs one operation per row.
   */
  public static INDArray gather(TransformerWeights w, int[] tokens, int[] positions) {
    return Nd4j.create(rows(w, tokens, positions), new long[] {tokens.length, w.config().dModel()}, 'c');
  }

  /**
   * As {@link #gather}, as a row-major Java array. Reads only the rows it needs: copying a GPT-2-sized table
   * (50,257 x 768) for every decoding step would cost more than the step.
   */
  public static float[] rows(TransformerWeights w, int[] tokens, int[] positions) {
    TransformerConfig c = w.config();
    int d = c.dModel();
    INDArray tok = w.get("tok_emb");
    INDArray pos = w.asMap().get("pos_emb");
    float[] out = new float[tokens.length * d];
    for (int r = 0; r < tokens.length; r++) {
      int id = tokens[r];
      if (id < 0 || id >= c.vocabSize()) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + c.vocabSize() + ")");
      }
      float[] row = tok.data().getFloatsAt(tok.offset() + (long) id * d, d);
      if (pos != null) {
        float[] add = pos.data().getFloatsAt(pos.offset() + (long) positions[r] * d, d);
        for (int j = 0; j < d; j++) {
          row[j] += add[j];
        }
      }
      System.arraycopy(row, 0, out, r * d, d);
    }
    return out;
  }
}
