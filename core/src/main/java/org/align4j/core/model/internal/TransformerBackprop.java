package org.align4j.core.model.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer's training passes written by hand in plain ND4J: a forward pass over a batch that keeps what
 * the backward pass needs, and the backward pass from the gradients of the final hidden states and of the
 * next-token logits to the gradient of every weight. It computes the same function and the same gradients as
 * {@link TransformerGraph} (tested against it and against finite differences) at a fraction of SameDiff's cost:
 * every matrix product is one ND4J {@code gemm} (the query, key and value projections as one product), and the
 * attention, layer-norm and GELU derivatives are a few fused element-wise operations each.
 *
 * <p>Rows are right-padded: every row's positions count from 0, attention is causal, and padding positions at the
 * end of a row influence no earlier position (their gradients vanish when the loss ignores them). Dropout, when
 * requested and configured, is inverted dropout at the same three places as the graph (embeddings, attention
 * output, MLP output), drawn from ND4J's global random generator, which trainers seed.
 *
 * <pre>{@code
 * TransformerBackprop backprop = new TransformerBackprop(model.weights());
 * TransformerBackprop.Step step = backprop.gradients(tokens, true, pass -> {
 *   TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), targets, lossWeights);
 *   return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
 * });
 * }</pre>
 *
 * <p>A pass allocates its activations and temporaries in an ND4J workspace of the calling thread, reused from step
 * to step (sized by the first step and grown when a larger batch needs it; kept for the thread's lifetime, as
 * DL4J's training workspaces are): every array of a {@link Pass} is valid only inside the objective, and the
 * returned gradients are ordinary (detached) arrays. Without it, each step would allocate and release gigabytes
 * of off-heap memory at the benchmark size, and allocation would cost more than the arithmetic.
 *
 * <p>Each block's passes are in {@link BackpropBlock}; per-example clipping is in {@link ClippedGradientSum}.
 *
 * <p>An instance may be used from several threads, one pass per thread; the weights must not change during a
 * pass.
 */
public final class TransformerBackprop {

  private static final String WORKSPACE = "align4j-transformer-backprop";

  private final TransformerWeights w;
  private final TransformerConfig c;

  /**
   * What an objective returns: its value and its gradients with respect to {@link Pass#hidden()},
   * {@link Pass#logits()} and the outputs of linear heads on the hidden states (any may be absent when the loss
   * does not read it; not all).
   *
   * @param loss the objective's value
   * @param dHidden the gradient with respect to the hidden states, [B*T, d], or null
   * @param dLogits the gradient with respect to the logits, [B*T, V], or null
   * @param heads the gradients with respect to trainable heads' outputs (may be empty); each head's weight
   *     gradient is returned beside the transformer's and clipped with them
   */
  public record LossGradient(double loss, INDArray dHidden, INDArray dLogits, List<HeadGradient> heads) {

    /** Copies the list. */
    public LossGradient {
      heads = List.copyOf(heads);
    }

    /** A loss of the hidden states and logits only. */
    public LossGradient(double loss, INDArray dHidden, INDArray dLogits) {
      this(loss, dHidden, dLogits, List.of());
    }
  }

  /**
   * A trainable linear head on the final hidden states, {@code hidden · weight} (a reward or value head), and the
   * gradient of the loss with respect to its output.
   *
   * @param name the head's parameter name (not one of the transformer's)
   * @param weight the head's weight, [d, k]
   * @param dOutput the gradient with respect to {@code hidden · weight}, [B*T, k]
   */
  public record HeadGradient(String name, INDArray weight, INDArray dOutput) {}

  /** A differentiable loss of a forward pass. */
  @FunctionalInterface
  public interface Objective {
    /** The loss of {@code pass} and its gradients (arrays of the pass are valid only during this call). */
    LossGradient apply(Pass pass);
  }

  /**
   * The outcome of one training pass.
   *
   * @param loss the objective's value
   * @param gradients the gradient of every weight, keyed and ordered as {@link TransformerWeights#names}, then
   *     every head's of the objective
   */
  public record Step(double loss, Map<String, INDArray> gradients) {}

  /**
   * Passes over {@code weights} (the live arrays, which trainers update between passes).
   *
   * @throws IllegalArgumentException for a model with architecture options these passes do not implement (every
   *     option but this library's own; see {@link Architecture#require})
   */
  public TransformerBackprop(TransformerWeights weights) {
    weights.config().architecture().require("hand-written backpropagation",
        List.of(Architecture.Activation.GELU_SIGMOID));
    this.w = weights;
    this.c = weights.config();
  }

  /**
   * One forward and backward pass over {@code tokens} ([B][T], every row of the same length T, at most the
   * context length): the objective's value and the gradient of every weight.
   *
   * @param dropout whether to apply the configured dropout (training) or not
   * @throws IllegalArgumentException for an empty batch, ragged rows, rows longer than the context, or a token
   *     outside the vocabulary
   */
  public Step gradients(int[][] tokens, boolean dropout, Objective objective) {
    return BlasThreads.forTraining(largestProduct(tokens), () -> {
      try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
        Pass pass = forward(tokens, dropout);
        LossGradient value = objective.apply(pass);
        Map<String, INDArray> grads = ClippedGradientSum.assemble(pass.terms(value, tokens.length), c, null, null);
        grads.replaceAll((name, g) -> g.detach());
        return new Step(value.loss(), grads);
      }
    });
  }

  /**
   * The outcome of one pass with per-example clipping.
   *
   * @param loss the objective's value (the sum of the examples' losses)
   * @param squaredNorms every example's squared gradient norm in every clipping group, [examples][G], before
   *     clipping
   * @param scales every example's scale factor in every group, [examples][G]
   * @param gradients the sum of the examples' clipped gradients, keyed and ordered as
   *     {@link TransformerWeights#names}, then every head's of the objective
   */
  public record ClippedStep(double loss, double[][] squaredNorms, double[][] scales,
      Map<String, INDArray> gradients) {}

  /**
   * {@link #clippedGradients(int[][], boolean, Objective, ExampleClipping, int)} with one row per example.
   */
  public ClippedStep clippedGradients(int[][] tokens, boolean dropout, Objective objective,
      ExampleClipping clipping) {
    return clippedGradients(tokens, dropout, objective, clipping, 1);
  }

  /**
   * One forward and backward pass over a batch whose examples are independent (as in {@link #gradients}), each
   * example {@code rowsPerExample} consecutive rows (a preference pair's two sequences, a prompt's completions),
   * returning the sum of the examples' gradients each clipped by {@code clipping}: the DP-SGD sum, without forming
   * any example's gradient. The backward pass keeps every dense layer's inputs and output gradients; each example's
   * norm comes from those (see {@link ProductTerm}), and each weight gradient is then one product with every
   * example's rows scaled by its clip factor (the "book-keeping" scheme of Bu et al. 2023). It costs the
   * non-private pass plus the norms, about one more weight-gradient product at most.
   *
   * <p>The objective must be a sum of per-example losses, example i's reading only its own rows of the pass (true
   * of a weighted next-token loss or a pair loss; a batch mean of whitened values is not). A row's padding at its
   * end changes nothing when its loss ignores those positions.
   *
   * @throws IllegalArgumentException as {@link #gradients}, when the rows are not a multiple of
   *     {@code rowsPerExample}, or when {@code clipping} splits the query, key and value weights of a layer into
   *     different groups
   */
  public ClippedStep clippedGradients(int[][] tokens, boolean dropout, Objective objective,
      ExampleClipping clipping, int rowsPerExample) {
    if (rowsPerExample < 1 || tokens.length % rowsPerExample != 0) {
      throw new IllegalArgumentException("rowsPerExample must be positive and divide the " + tokens.length
          + " rows, got " + rowsPerExample);
    }
    int examples = tokens.length / rowsPerExample;
    return BlasThreads.forTraining(largestProduct(tokens), () -> {
      try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
        Pass pass = forward(tokens, dropout);
        LossGradient value = objective.apply(pass);
        return ClippedGradientSum.of(pass.terms(value, examples), examples, clipping, c, value.loss());
      }
    });
  }

  /**
   * A forward pass without dropout over {@code tokens} (as in {@link #gradients}) and the value of {@code loss}
   * on it (arrays of the pass are valid only during that call).
   */
  public double evaluate(int[][] tokens, ToDoubleFunction<Pass> loss) {
    return BlasThreads.forTraining(largestProduct(tokens), () -> {
      try (MemoryWorkspace ignored = Workspaces.open(WORKSPACE)) {
        return loss.applyAsDouble(forward(tokens, false));
      }
    });
  }

  /**
   * The multiply-adds of a pass's largest dense product over {@code tokens}: every position through the widest of
   * the MLP, the fused query-key-value projection and the output layer. It decides the BLAS threads
   * ({@link BlasThreads#forTraining}).
   */
  private long largestProduct(int[][] tokens) {
    long positions = (long) tokens.length * (tokens.length == 0 ? 0 : tokens[0].length);
    return positions * c.dModel() * Math.max(Math.max(c.mlpDim(), 3L * c.dModel()), c.vocabSize());
  }

  /** The forward pass, keeping the activations for {@link Pass#backward}; see {@link #gradients}. */
  Pass forward(int[][] tokens, boolean dropout) {
    if (tokens.length == 0 || tokens[0].length == 0) {
      throw new IllegalArgumentException("tokens must be a non-empty [B][T] batch");
    }
    int t = tokens[0].length;
    if (t > c.contextLength()) {
      throw new IllegalArgumentException("rows of " + t + " tokens exceed the context of " + c.contextLength());
    }
    for (int[] row : tokens) {
      if (row.length != t) {
        throw new IllegalArgumentException("rows must all have " + t + " tokens, got one of " + row.length);
      }
    }
    return new Pass(tokens, dropout && c.dropout() > 0);
  }

  /** One forward pass and its saved activations. */
  public final class Pass {
    private final int b;
    private final int t;
    private final int[] flatTokens;
    private final double dropout;
    private final INDArray embedMask;
    private final List<BackpropBlock> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private INDArray logits;
    private boolean consumed;

    private Pass(int[][] tokens, boolean applyDropout) {
      this.b = tokens.length;
      this.t = tokens[0].length;
      this.dropout = applyDropout ? c.dropout() : 0;
      flatTokens = new int[b * t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(tokens[i], 0, flatTokens, i * t, t);
      }
      int[] positions = new int[b * t];
      for (int r = 0; r < positions.length; r++) {
        positions[r] = r % t;
      }
      INDArray x = Embeddings.gather(w, flatTokens, positions);
      embedMask = BackpropBlock.dropoutMask(x, dropout);
      for (int l = 0; l < c.layers(); l++) {
        BackpropBlock layer = new BackpropBlock(w, l, b, t, dropout);
        x = layer.forward(x);
        layers.add(layer);
      }
      finalNorm = new LayerNorm(w, "lnf", x);
    }

    /** The final hidden states (after the last layer norm), [B*T, d], row {@code b*T + t}. */
    public INDArray hidden() {
      return finalNorm.out;
    }

    /** The next-token logits, [B*T, V] (computed on first use). */
    public INDArray logits() {
      if (logits == null) {
        logits = Affine.product(finalNorm.out, w.get("tok_emb"), false, true);
      }
      return logits;
    }

    /**
     * The gradient of every weight (keyed and ordered as {@link TransformerWeights#names}) of a loss whose
     * gradients with respect to {@link #hidden()} and {@link #logits()} are {@code dHidden} and {@code dLogits}
     * (either may be null when the loss does not read it; not both).
     *
     * @throws IllegalStateException when called a second time on this pass
     */
    Map<String, INDArray> backward(INDArray dHidden, INDArray dLogits) {
      return ClippedGradientSum.assemble(terms(new LossGradient(0, dHidden, dLogits), b), c, null, null);
    }

    /**
     * The backward pass of {@code value}'s gradients up to the weight gradients, which it returns in factored form
     * for {@code examples} examples of consecutive rows (see {@link #backward}).
     *
     * @throws IllegalStateException when called a second time on this pass
     */
    List<GradientTerm> terms(LossGradient value, int examples) {
      INDArray dHidden = value.dHidden();
      INDArray dLogits = value.dLogits();
      if (dHidden == null && dLogits == null && value.heads().isEmpty()) {
        throw new IllegalArgumentException("dHidden, dLogits and heads must not all be absent");
      }
      if (consumed) {
        throw new IllegalStateException("backward may be called once per forward pass");
      }
      consumed = true;
      List<GradientTerm> terms = new ArrayList<>();
      INDArray dh = dHidden == null ? Nd4j.zeros(DataType.FLOAT, (long) b * t, c.dModel()) : dHidden.dup('c');
      if (dLogits != null) {
        Nd4j.gemm(dLogits, w.get("tok_emb"), dh, false, false, 1.0, 1.0);
      }
      for (HeadGradient head : value.heads()) {
        if (TransformerWeights.names(c).contains(head.name())) {
          throw new IllegalArgumentException("head " + head.name() + " has the name of a transformer weight");
        }
        INDArray dOut = head.dOutput().reshape((long) b * t, head.weight().size(1));
        terms.add(new ProductTerm(List.of(head.name()), finalNorm.out, dOut, examples));
        Nd4j.gemm(dOut, head.weight(), dh, false, true, 1.0, 1.0);
      }
      INDArray dx = finalNorm.backward(dh, examples, terms);
      for (int l = layers.size() - 1; l >= 0; l--) {
        dx = layers.get(l).backward(dx, examples, terms);
      }
      if (embedMask != null) {
        dx.muli(embedMask);
      }
      terms.add(new EmbeddingTerm(dLogits, finalNorm.out, flatTokens, dx, examples, c.vocabSize()));
      terms.add(new PositionTerm(dx, b, examples, c.contextLength()));
      return terms;
    }
  }
}
