package org.align4j.core.model.internal;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient of the token embeddings, which are also the output layer's weights: {@code dLogits^T H} from the
 * tied output layer (H the final hidden states) plus each position's input gradient added to the row of its token.
 * An example's gradient is formed for its norm, in chunks of examples in a reused buffer, as two products: its
 * logits' gradient times its hidden states, plus its one-hot inputs times its input gradient (the one-hot rows take
 * the memory of the logits' gradient).
 */
final class EmbeddingTerm implements GradientTerm {

  private final INDArray dLogits;
  private final INDArray hidden;
  private final int[] tokens;
  private final INDArray dx;
  private final int examples;
  private final int rowsPerExample;
  private final long vocab;
  private final int width;
  private float[] dxRows;

  /**
   * @param dLogits the gradient of the logits, [N, V], or null when the loss does not read them
   * @param hidden the final hidden states, [N, d]
   * @param tokens every row's input token, N ids
   * @param dx the gradient of the embedded input, [N, d]
   */
  EmbeddingTerm(INDArray dLogits, INDArray hidden, int[] tokens, INDArray dx, int examples, long vocab) {
    this.dLogits = dLogits;
    this.hidden = hidden;
    this.tokens = tokens;
    this.dx = dx;
    this.examples = examples;
    this.rowsPerExample = tokens.length / examples;
    this.vocab = vocab;
    this.width = (int) dx.size(1);
  }

  @Override
  public List<String> names() {
    return List.of("tok_emb");
  }

  private float[] dxRows() {
    if (dxRows == null) {
      dxRows = dx.dup('c').data().asFloat();
    }
    return dxRows;
  }

  @Override
  public void addSquaredNorms(double[] squaredNorms) {
    float[] oneHot = new float[Math.toIntExact(tokens.length * vocab)];
    for (int r = 0; r < tokens.length; r++) {
      oneHot[Math.toIntExact(r * vocab + tokens[r])] = 1f;
    }
    INDArray inputs = Nd4j.create(oneHot, new long[] {tokens.length, vocab}, 'c');
    INDArray inputs3 = GradientTerm.byExample(inputs, examples);
    INDArray dx3 = GradientTerm.byExample(dx, examples);
    INDArray dLogits3 = dLogits == null ? null : GradientTerm.byExample(dLogits, examples);
    INDArray hidden3 = GradientTerm.byExample(hidden, examples);
    int size = GradientTerm.chunk(examples, vocab * width);
    INDArray buffer = Nd4j.createUninitialized(DataType.FLOAT, size, vocab, width);
    for (int from = 0; from < examples; from += size) {
      int c = Math.min(size, examples - from);
      for (int k = 0; k < c; k++) {
        INDArray target = buffer.slice(k);
        int i = from + k;
        Nd4j.gemm(inputs3.slice(i), dx3.slice(i), target, true, false, 1.0, 0.0);
        if (dLogits3 != null) {
          Nd4j.gemm(dLogits3.slice(i), hidden3.slice(i), target, true, false, 1.0, 1.0);
        }
      }
      double[] sq = GradientTerm.rowSquaredNorms(
          buffer.reshape(size, vocab * width).get(interval(0, c), all()));
      for (int k = 0; k < c; k++) {
        squaredNorms[from + k] += sq[k];
      }
    }
  }

  @Override
  public List<INDArray> gradients(double[] exampleScales) {
    int d = width;
    INDArray dTok = Nd4j.zeros(DataType.FLOAT, vocab, d);
    if (dLogits != null) {
      INDArray h = exampleScales == null ? hidden : GradientTerm.scaleExamples(hidden, exampleScales);
      Nd4j.gemm(dLogits, h, dTok, true, false, 1.0, 0.0);
    }
    float[] rows = dxRows();
    float[] table = dTok.data().asFloat();
    for (int r = 0; r < tokens.length; r++) {
      float scale = exampleScales == null ? 1f : (float) exampleScales[r / rowsPerExample];
      int base = tokens[r] * d;
      for (int j = 0; j < d; j++) {
        table[base + j] += scale * rows[r * d + j];
      }
    }
    return List.of(Nd4j.create(table, dTok.shape(), 'c'));
  }
}
