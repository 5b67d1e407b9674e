package org.align4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer's input: token plus position embeddings (token embeddings alone with rotary positions), gathered
 * row by row in Java.
 */
final class Embeddings {

  private Embeddings() {}

  /**
   * {@code tok_emb[tokens[r]] + pos_emb[positions[r]]} for every r, [N, d]. Gathering from copies of the two small
   * tables is much faster than ND4J's {@code getRows}, which runs one operation per row.
   */
  static INDArray gather(TransformerWeights w, int[] tokens, int[] positions) {
    return Nd4j.create(rows(w, tokens, positions), new long[] {tokens.length, w.config().dModel()}, 'c');
  }

  /** As {@link #gather}, as a row-major Java array. */
  static float[] rows(TransformerWeights w, int[] tokens, int[] positions) {
    TransformerConfig c = w.config();
    int d = c.dModel();
    float[] tok = w.get("tok_emb").data().asFloat();
    INDArray posEmb = w.optional("pos_emb");
    float[] pos = posEmb == null ? null : posEmb.data().asFloat();
    float[] out = new float[tokens.length * d];
    for (int r = 0; r < tokens.length; r++) {
      int id = tokens[r];
      if (id < 0 || id >= c.vocabSize()) {
        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + c.vocabSize() + ")");
      }
      int from = id * d;
      int to = r * d;
      if (pos == null) {
        System.arraycopy(tok, from, out, to, d);
        continue;
      }
      int at = positions[r] * d;
      for (int j = 0; j < d; j++) {
        out[to + j] = tok[from + j] + pos[at + j];
      }
    }
    return out;
  }
}
