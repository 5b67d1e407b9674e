package org.align4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
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
 * finite ({@link Objective#diverged}), before that update (listeners receive {@link TrainingListener#onEnd()}
 * first).
 *
 * <p>Training that goes on over several runs on changing data (PPO: one run per pass over a rollout buffer)
 * uses a {@link Session}: one optimiser state, one step count and one clock across its runs, each run drawing its
 * batches from a sampler the caller supplies (PPO's minibatches of a rollout, DP-SGD's Poisson or fixed-size
 * samples).
 *
 * <p>Order of events per step: the objective's batch and gradients, clipping ({@link Objective#clip}) and the
 * update (k times), then {@link TrainingListener#onStep} for every listener in order, then
 * {@link Objective#afterStep}, then {@link Objective#finished} (true ends the run), then, when due, the
 * evaluation: {@link Evaluator#loss}, {@link TrainingListener#onEvaluation} for every listener, then
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

    /**
     * Makes {@code g}'s gradients ready for the update, in place, and returns the gradient norm the step reports.
     * The default clips them by their global norm to {@code clipNorm} and returns the norm before clipping. An
     * objective whose gradients come clipped already (DP-SGD clips every example's gradient and adds noise) leaves
     * them as they are and returns its own measure.
     */
    default double clip(Gradients g, double clipNorm) {
      return GradientClipping.clipByGlobalNorm(g.byParameter(), clipNorm);
    }

    /**
     * Whether an update with gradients {@code g} and reported {@code norm} shows divergence, which stops training
     * before that update. The default: the loss or the norm is not finite. (DP-SGD's update of noise alone on an
     * empty sample reports a NaN loss and norm and is no divergence.)
     */
    default boolean diverged(Gradients g, double norm) {
      return !Double.isFinite(g.loss()) || !Double.isFinite(norm);
    }

    /** Called after the listeners received a step's metrics (for a trainer's own metrics or checkpoints). */
    default void afterStep(B batch, Gradients last, StepMetrics metrics) {}

    /**
     * Whether the run ends after the step just taken (asked after {@link #afterStep}; PPO ends its epochs when the
     * approximate KL passes its target). The run then counts as stopped early.
     */
    default boolean finished() {
      return false;
    }
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
   * @param steps steps (batches) taken in this run
   * @param finalLoss mean training loss over the last steps (up to 10; NaN losses skipped)
   * @param bestEvalLoss the best evaluation loss, or NaN without evaluation
   * @param stoppedEarly whether early stopping (by evaluation, or {@link Objective#finished}) ended the run
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
   * says so) on {@code examples} examples, drawing batches as the settings' sampling says.
   *
   * @param evaluator the evaluation, or null for none
   * @throws TrainingDivergedException when an update's loss or gradient norm is not finite
   */
  public <B> Result run(int examples, Map<String, INDArray> parameters, Objective<B> objective,
      Evaluator evaluator) {
    long totalSteps = totalSteps(examples);
    SplittableRandom random = new SplittableRandom(settings.seed());
    BatchSampler sampler = settings.sampling() instanceof Sampling.Poisson p
        ? new PoissonSampler(examples, p.sampleRate(), random.nextLong())
        : new ShuffledBatches(examples, ((Sampling.Shuffled) settings.sampling()).batchSize(), random);
    Session session = start(parameters, TransformerWeights::decays, totalSteps);
    Result r = session.run(sampler, totalSteps, objective, evaluator);
    session.end();
    return r;
  }

  /**
   * Starts training {@code parameters} (updated in place) over one or more runs: seeds ND4J's random numbers with
   * the settings' seed and tells the listeners {@link TrainingListener#onStart} with {@code plannedSteps}. The
   * learning-rate schedule spans {@code plannedSteps}; the settings' sampling, epochs and maximum steps are not
   * used (each {@link Session#run} brings its sampler and length).
   *
   * @param decays which parameters (by name) AdamW's weight decay applies to
   * @param plannedSteps the steps all runs together are expected to take, {@code > 0}
   */
  public Session start(Map<String, INDArray> parameters, Predicate<String> decays, long plannedSteps) {
    return new Session(parameters, decays, plannedSteps);
  }

  /**
   * Training over several runs with one AdamW state, one step count (steps are numbered on from run to run), one
   * schedule and one clock. Not thread-safe.
   */
  public final class Session {
    private final Map<String, INDArray> parameters;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final long plannedSteps;
    private final long startNanos = System.nanoTime();
    private long steps;
    private boolean ended;

    private Session(Map<String, INDArray> parameters, Predicate<String> decays, long plannedSteps) {
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      this.plannedSteps = Args.positive("plannedSteps", plannedSteps);
      OptimizerSettings opt = settings.optimizer();
      this.schedule = opt.schedule(plannedSteps);
      this.optimizer = new AdamW(AdamW.Config.withWeightDecay(opt.weightDecay()), decays);
      Nd4j.getRandom().setSeed(settings.seed());
      listeners.forEach(l -> l.onStart(plannedSteps));
    }

    /** Steps taken so far over all runs. */
    public long steps() {
      return steps;
    }

    /** {@link #run(BatchSampler, long, Objective, Evaluator)} without evaluation. */
    public <B> Result run(BatchSampler sampler, long steps, Objective<B> objective) {
      return run(sampler, steps, objective, null);
    }

    /**
     * Takes up to {@code steps} steps on batches from {@code sampler}, each of {@code updatesPerBatch} updates.
     * Step metrics report the session's step number and the larger of the planned steps and it as the total.
     * Evaluation follows the settings (also after this run's last step); early stopping restores the best
     * parameters of this run.
     *
     * @param evaluator the evaluation, or null for none
     * @throws TrainingDivergedException when an update diverges ({@link Objective#diverged}); the session ends
     * @throws IllegalStateException after {@link #end}
     */
    public <B> Result run(BatchSampler sampler, long steps, Objective<B> objective, Evaluator evaluator) {
      if (ended) {
        throw new IllegalStateException("the training session has ended");
      }
      Args.nonNegative("steps", steps);
      MetricsHistory history = new MetricsHistory();
      List<TrainingListener> all = new ArrayList<>(listeners);
      all.add(history);
      Evaluations evals = new Evaluations(evaluator, all, parameters);
      if (evaluator != null && settings.evaluateAtStart()) {
        evals.evaluate(this.steps);
      }
      long start = System.nanoTime();
      long totalTokens = 0;
      boolean stoppedEarly = false;
      boolean wasCancelled = false;
      long taken = 0;
      int k = settings.updatesPerBatch();
      while (taken < steps) {
        if (cancelled.getAsBoolean()) {
          wasCancelled = true;
          break;
        }
        int[] indices = sampler.next();
        long t0 = System.nanoTime();
        B batch = objective.batch(indices);
        double lr = schedule.at(this.steps);
        Gradients g = null;
        double lossSum = 0;
        double normSum = 0;
        for (int u = 0; u < k; u++) {
          g = objective.gradients(batch);
          double norm = objective.clip(g, settings.optimizer().clipNorm());
          if (objective.diverged(g, norm)) {
            end();
            throw new TrainingDivergedException(this.steps + 1, g.loss(), norm, lr);
          }
          optimizer.update(parameters, g.byParameter(), lr);
          lossSum += g.loss();
          normSum += norm;
        }
        taken++;
        this.steps++;
        totalTokens += g.inputTokens();
        double seconds = (System.nanoTime() - t0) / 1e9;
        StepMetrics m = new StepMetrics(this.steps, Math.max(plannedSteps, this.steps), lossSum / k, lr,
            normSum / k, g.tokens(), g.inputTokens() / seconds, (System.nanoTime() - startNanos) / 1e9);
        for (TrainingListener l : all) {
          l.onStep(m);
        }
        objective.afterStep(batch, g, m);
        if (objective.finished()) {
          stoppedEarly = true;
          break;
        }
        boolean evalNow = evaluator != null
            && ((settings.evalEvery() > 0 && this.steps % settings.evalEvery() == 0) || taken == steps);
        if (evalNow && evals.evaluate(this.steps)) {
          stoppedEarly = true;
          break;
        }
      }
      evals.restoreBest();
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<StepMetrics> stepsTaken = history.steps();
      double[] losses = stepsTaken.stream().mapToDouble(StepMetrics::loss).filter(x -> !Double.isNaN(x))
          .toArray();
      double finalLoss = Arrays.stream(losses, Math.max(0, losses.length - 10), losses.length).average()
          .orElse(Double.NaN);
      return new Result(taken, finalLoss, evals.best, stoppedEarly, wasCancelled, totalTokens,
          totalTokens / elapsed, stepsTaken, history.evaluations());
    }

    /** Ends the session: the listeners hear {@link TrainingListener#onEnd} (once; later calls do nothing). */
    public void end() {
      if (!ended) {
        ended = true;
        listeners.forEach(TrainingListener::onEnd);
      }
    }
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
