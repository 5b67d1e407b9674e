package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TransformerBackprop;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient of a {@link PerExampleLoss}'s batch loss ({@link PerExampleLoss#batchLoss}): the plain training
 * step's gradient, from the same objective that DP-SGD clips per example ({@link DpRun}), so each objective is
 * written once. On the model's hand-written passes when its architecture has them ({@link GradientPath#AUTO}: the
 * loss's graph over the pass's outputs, each batch padded to its longest example), otherwise through the whole
 * SameDiff graph at the fixed length {@code seqLen}. {@link #outputs} evaluates the loss's outputs on the same
 * pass without differentiating (the statistics of a rollout, say). Not thread-safe.
 *
 * <pre>{@code
 * BatchGradients<RewardPair> step = BatchGradients.create(model.backbone().weights(), heads, loss, maxLength, true);
 * BatchGradients.Result g = step.compute(batch);   // g.loss(), g.gradients() by parameter name
 * Map<String, INDArray> out = step.outputs(batch);  // the loss's outputs only, forward pass only
 * }</pre>
 *
 * @param <E> the example type
 */
public final class BatchGradients<E> {

  /**
   * One batch's loss, its gradient and the loss's outputs.
   *
   * @param loss the batch loss
   * @param gradients the gradient of every parameter the loss reaches, by name (the transformer's weights, then
   *     the extra parameters)
   * @param outputs the values of {@link PerExampleLoss#outputs()} by name
   */
  public record Result(double loss, Map<String, INDArray> gradients, Map<String, INDArray> outputs) {}

  private static final String LOSS = "batch_loss";

  private final PerExampleLoss<E> loss;
  private final TransformerBackprop backprop;
  private final OutputObjective<E> objective;
  private final TransformerGraph graph;
  private final boolean training;

  private BatchGradients(PerExampleLoss<E> loss, TransformerWeights weights, Map<String, INDArray> extraParameters,
      int seqLen, boolean training, GradientPath path) {
    this.loss = loss;
    this.training = training;
    if (path.resolve(weights.config()) == GradientPath.BACKPROP) {
      this.backprop = new TransformerBackprop(weights);
      this.objective = new OutputObjective<>(loss, weights.config(), extraParameters, false);
      this.graph = null;
    } else {
      TransformerExampleGraph view =
          new TransformerExampleGraph(TransformerGraph.create(weights, seqLen, training), extraParameters);
      view.sameDiff().setLossVariables(loss.batchLoss(view).rename(LOSS));
      this.backprop = null;
      this.objective = null;
      this.graph = view.graph();
    }
  }

  /**
   * The batch gradients of {@code loss} over {@code weights} and {@code extraParameters} (the live arrays, which
   * the optimiser updates between steps).
   *
   * @param extraParameters further trainable parameters by name: [d, k] heads on the hidden states, or parameters
   *     the loss reads directly (may be empty)
   * @param seqLen the longest input of any batch (the SameDiff graph's fixed length)
   * @param training whether dropout (if the model has any) is applied
   */
  public static <E> BatchGradients<E> create(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, boolean training) {
    return create(weights, extraParameters, loss, seqLen, training, GradientPath.AUTO);
  }

  /**
   * As {@link #create(TransformerWeights, Map, PerExampleLoss, int, boolean)} on {@code path}: {@link
   * GradientPath#LOOP} is the whole SameDiff graph (the reference of the hand-written passes).
   */
  static <E> BatchGradients<E> create(TransformerWeights weights, Map<String, INDArray> extraParameters,
      PerExampleLoss<E> loss, int seqLen, boolean training, GradientPath path) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(loss, "loss");
    Args.positive("seqLen", seqLen);
    return new BatchGradients<>(loss, weights, new LinkedHashMap<>(extraParameters), seqLen, training, path);
  }

  /**
   * The loss of {@code batch} (at least one example, each at most {@code seqLen} input tokens), its gradient and
   * its outputs. The arrays are valid until the next call.
   */
  public Result compute(List<E> batch) {
    Args.check(!batch.isEmpty(), "batch must hold at least one example");
    if (graph != null) {
      List<String> outputs = new ArrayList<>(loss.outputs());
      outputs.add(LOSS);
      TransformerGraph.Gradients g =
          graph.gradients(loss.placeholders(batch, batch.size(), graph.seqLen()), outputs.toArray(String[]::new));
      Map<String, INDArray> values = new LinkedHashMap<>(g.outputs());
      double value = values.remove(LOSS).getDouble(0);
      return new Result(value, g.byWeight(), values);
    }
    BatchObjective.Prepared prepared = objective.prepare(batch);
    TransformerBackprop.Step step = backprop.gradients(prepared.tokens(), training, prepared.objective());
    Map<String, INDArray> gradients = new LinkedHashMap<>(step.gradients());
    gradients.putAll(objective.parameterGradients());
    return new Result(step.loss(), gradients, objective.outputs());
  }

  /**
   * The values of the loss's {@link PerExampleLoss#outputs()} on {@code batch} (as {@link #compute}'s batch), by
   * name: the forward pass alone, without the loss's gradient or a backward pass (dropout only where the SameDiff
   * graph was created for training). The arrays are detached, rows as in {@link #compute}'s outputs.
   */
  public Map<String, INDArray> outputs(List<E> batch) {
    Args.check(!batch.isEmpty(), "batch must hold at least one example");
    if (graph == null) {
      return objective.evaluate(backprop, batch);
    }
    Map<String, INDArray> values =
        graph.sameDiff().output(loss.placeholders(batch, batch.size(), graph.seqLen()), loss.outputs());
    Map<String, INDArray> out = new LinkedHashMap<>();
    loss.outputs().forEach(name -> out.put(name, values.get(name).detach()));
    return out;
  }
}
