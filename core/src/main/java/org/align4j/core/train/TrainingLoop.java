package org.align4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop every trainer runs: it draws batches ({@link Sampling}), runs for a number of epochs or
 * steps, takes {@code k} AdamW updates per batch under the learning-rate schedule with clipping by global gradient
 * norm, reports to listeners, evaluates every N steps with early stopping (restoring the best parameters), stops
 * when cancelled, and seeds everything it draws. What is learned, and how a batch's loss and gradients are
 * computed, comes from an {@link Objective}.
 *
 * <p>Training stops with a {@link TrainingDivergedException} at the first update whose loss or gradient norm is not
 * finite, before that update (listeners receive {@link TrainingListener#onEnd()} first).
 *
 * <p>Order of events per step: the objective's batch and gradients, clipping and the update (k times), then
 * {@link TrainingListener#onStep} for every listener in order, then {@link Objective#afterStep}, then, when due,
 * the evaluation: {@link Evaluator#loss}, {@link TrainingListener#onEvaluation} for every listener, then
 * {@link Evaluator#afterEvaluation}.
 *
 * <pre>{@code
 * LoopSettings settings = LoopSettings.builder().sampling(Sampling.shuffled(8)).epochs(3).seed(1).build();
 * TrainingLoop.Result r = new TrainingLoop(settings, List.of(new ProgressBar("train")))
 *     .run(examples.size(), model.weights().asMap(), objective, null);
 * }</pre>
 */
public final class TrainingLoop {

  /**
   * What a trainer supplies: the batch of a sample of example indices, and its loss and gradients.
   *
   * @param <B> the trainer's batch type
   */
  public interface Objective<B> {

    /** The batch of the examples at {@code indices} (in sampling order). */
    B batch(int[] indices);

    /**
     * The loss and gradients of {@code batch} at the current parameters; the loop clips the gradients in place and
     * updates the parameters with them. Called {@code updatesPerBatch} times per batch.
     */
    Gradients gradients(B batch);

    /** Called after the listeners received a step's metrics (for a trainer's own metrics or checkpoints). */
    default void afterStep(B batch, Gradients last, StepMetrics metrics) {}
  }

  /**
   * A batch's loss and gradients.
   *
   * @param loss the batch loss
   * @param byParameter gradients by parameter name (clipped in place by the loop)
   * @param tokens the tokens the loss covers, for {@link StepMetrics#tokens()}
   * @param inputTokens the input tokens, for throughput
   */
  public record Gradients(double loss, Map<String, INDArray> byParameter, long tokens, long inputTokens) {}

  /** Evaluation on held-out data. */
  public interface Evaluator {

    /** The evaluation loss after {@code step} steps (lower is better). */
    double loss(long step);

    /** Called after the listeners received the evaluation. */
    default void afterEvaluation(EvalMetrics metrics) {}
  }

  /**
   * The outcome of a run.
   *
   * @param steps steps (batches) taken
   * @param finalLoss mean training loss over the last steps (up to 10; NaN losses skipped)
   * @param bestEvalLoss the best evaluation loss, or NaN without evaluation
   * @param stoppedEarly whether early stopping ended the run
   * @param cancelled whether cancellation ended the run
   * @param totalTokens input tokens trained on
   * @param tokensPerSecond mean throughput
   * @param history every step's metrics
   * @param evaluations every evaluation
   */
  public record Result(long steps, double finalLoss, double bestEvalLoss, boolean stoppedEarly, boolean cancelled,
      long totalTokens, double tokensPerSecond, List<StepMetrics> history, List<EvalMetrics> evaluations) {

    /** Copies the lists. */
    public Result {
      history = List.copyOf(history);
      evaluations = List.copyOf(evaluations);
    }
  }

  private final LoopSettings settings;
  private final List<TrainingListener> listeners;
  private final BooleanSupplier cancelled;

  /** A loop with {@code settings} reporting to {@code listeners}, never cancelled. */
  public TrainingLoop(LoopSettings settings, List<TrainingListener> listeners) {
    this(settings, listeners, () -> false);
  }

  /** A loop that stops before the next step once {@code cancelled} returns true. */
  public TrainingLoop(LoopSettings settings, List<TrainingListener> listeners, BooleanSupplier cancelled) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listeners = List.copyOf(listeners);
    this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
  }

  /** The settings. */
  public LoopSettings settings() {
    return settings;
  }

  /** The number of steps a run over {@code examples} examples takes (unless stopped early or cancelled). */
  public long totalSteps(int examples) {
    Args.positive("examples", examples);
    if (settings.maxSteps() > 0) {
      return settings.maxSteps();
    }
    if (settings.sampling() instanceof Sampling.Poisson p) {
      return (long) Math.ceil(settings.epochs() / p.sampleRate());
    }
    int batchSize = ((Sampling.Shuffled) settings.sampling()).batchSize();
    long stepsPerEpoch = (examples + (long) batchSize - 1) / batchSize;
    return (long) Math.ceil(stepsPerEpoch * settings.epochs());
  }

  /**
   * Trains {@code parameters} (updated in place; weight decay applies where {@link TransformerWeights#decays}
   * says so) on {@code examples} examples.
   *
   * @param evaluator the evaluation, or null for none
   * @throws TrainingDivergedException when an update's loss or gradient norm is not finite
   */
  public <B> Result run(int examples, Map<String, INDArray> parameters, Objective<B> objective,
      Evaluator evaluator) {
    long totalSteps = totalSteps(examples);
    OptimizerSettings opt = settings.optimizer();
    LearningRateSchedule schedule = opt.schedule(totalSteps);
    AdamW optimizer = new AdamW(AdamW.Config.withWeightDecay(opt.weightDecay()), TransformerWeights::decays);
    SplittableRandom random = new SplittableRandom(settings.seed());
    Nd4j.getRandom().setSeed(settings.seed());
    BatchSampler sampler = settings.sampling() instanceof Sampling.Poisson p
        ? new PoissonSampler(examples, p.sampleRate(), random.nextLong())
        : new ShuffledBatches(examples, ((Sampling.Shuffled) settings.sampling()).batchSize(), random);

    MetricsHistory history = new MetricsHistory();
    List<TrainingListener> all = new ArrayList<>(listeners);
    all.add(history);
    all.forEach(l -> l.onStart(totalSteps));
    Evaluations evals = new Evaluations(evaluator, all, parameters);
    if (evaluator != null && settings.evaluateAtStart()) {
      evals.evaluate(0);
    }
    long start = System.nanoTime();
    long totalTokens = 0;
    boolean stoppedEarly = false;
    boolean wasCancelled = false;
    long step = 0;
    while (step < totalSteps) {
      if (cancelled.getAsBoolean()) {
        wasCancelled = true;
        break;
      }
      int[] indices = sampler.next();
      long t0 = System.nanoTime();
      B batch = objective.batch(indices);
      double lr = schedule.at(step);
      Gradients g = null;
      double lossSum = 0;
      double normSum = 0;
      for (int u = 0; u < settings.updatesPerBatch(); u++) {
        g = objective.gradients(batch);
        double norm = GradientClipping.clipByGlobalNorm(g.byParameter(), opt.clipNorm());
        if (!Double.isFinite(g.loss()) || !Double.isFinite(norm)) {
          all.forEach(TrainingListener::onEnd);
          throw new TrainingDivergedException(step + 1, g.loss(), norm, lr);
        }
        optimizer.update(parameters, g.byParameter(), lr);
        lossSum += g.loss();
        normSum += norm;
      }
      step++;
      totalTokens += g.inputTokens();
      int k = settings.updatesPerBatch();
      double seconds = (System.nanoTime() - t0) / 1e9;
      StepMetrics m = new StepMetrics(step, totalSteps, lossSum / k, lr, normSum / k, g.tokens(),
          g.inputTokens() / seconds, (System.nanoTime() - start) / 1e9);
      for (TrainingListener l : all) {
        l.onStep(m);
      }
      objective.afterStep(batch, g, m);
      boolean evalNow = evaluator != null
          && ((settings.evalEvery() > 0 && step % settings.evalEvery() == 0) || step == totalSteps);
      if (evalNow && evals.evaluate(step)) {
        stoppedEarly = true;
        break;
      }
    }
    evals.restoreBest();
    all.forEach(TrainingListener::onEnd);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<StepMetrics> steps = history.steps();
    double[] losses = steps.stream().mapToDouble(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toArray();
    double finalLoss = Arrays.stream(losses, Math.max(0, losses.length - 10), losses.length).average()
        .orElse(Double.NaN);
    return new Result(step, finalLoss, evals.best, stoppedEarly, wasCancelled, totalTokens, totalTokens / elapsed,
        steps, history.evaluations());
  }

  /** Evaluation bookkeeping: the best loss, evaluations since, and the best parameters for early stopping. */
  private final class Evaluations {
    private final Evaluator evaluator;
    private final List<TrainingListener> listeners;
    private final Map<String, INDArray> parameters;
    private double best = Double.NaN;
    private int sinceBest;
    private Map<String, INDArray> bestParameters;

    Evaluations(Evaluator evaluator, List<TrainingListener> listeners, Map<String, INDArray> parameters) {
      this.evaluator = evaluator;
      this.listeners = listeners;
      this.parameters = parameters;
    }

    /** Evaluates after {@code step} steps; true when early stopping ends the run. */
    boolean evaluate(long step) {
      double loss = evaluator.loss(step);
      boolean improved = Double.isNaN(best) || loss < best - settings.minImprovement();
      if (improved) {
        best = loss;
        sinceBest = 0;
        if (settings.patience() > 0) {
          bestParameters = new LinkedHashMap<>();
          parameters.forEach((k, v) -> bestParameters.put(k, v.dup()));
        }
      } else {
        sinceBest++;
      }
      EvalMetrics em = new EvalMetrics(step, loss, improved);
      listeners.forEach(l -> l.onEvaluation(em));
      evaluator.afterEvaluation(em);
      return settings.patience() > 0 && sinceBest >= settings.patience();
    }

    /** Puts the best parameters back when a later evaluation was worse. */
    void restoreBest() {
      if (bestParameters != null && sinceBest > 0) {
        bestParameters.forEach((k, v) -> parameters.get(k).assign(v));
      }
    }
  }
}
