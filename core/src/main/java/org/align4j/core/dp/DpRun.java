package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.privacy.NoiseCalibration;
import org.align4j.core.privacy.PrivacyAccountant;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.LoopSettings;
import org.align4j.core.train.PoissonSampler;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingLoop;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private training every trainer runs when its privacy settings ask for DP-SGD: resolve q, delta, the steps
 * and sigma (calibrated for a target epsilon), sample batches (Poisson unless fixed-size batches were asked for),
 * and run the {@link TrainingLoop} with DP-SGD's private gradient ({@link DpSgd#privateGradient}) as its objective,
 * recording every step with the accountant, then report epsilon and append the stage to the model's history. What
 * is trained is the model's weights plus {@code extraParameters}; what a privacy unit is and its loss come from the
 * {@link PerExampleLoss}.
 *
 * <p>A trainer whose examples are made from the sampled data at each step (PPO: the rollouts of the sampled
 * prompts, by the current policy) supplies that transformation; it must make the examples of a sampled item from
 * that item alone. A trainer may take {@code k > 1} updates on each sampled batch (PPO epochs): the k noisy
 * gradients of one sample compose, before subsampling, to one Gaussian mechanism of noise multiplier
 * {@code sigma / sqrt(k)} (each has sensitivity C), so the accountant records one step of {@code sigma / sqrt(k)}
 * at q per batch. Counting k independent steps of sigma would understate epsilon: the k releases share one
 * sample, and amplification by subsampling applies to them once.
 */
public final class DpRun {

  private static final Logger LOG = LoggerFactory.getLogger(DpRun.class);

  /** How the loop counts tokens of an example for the step metrics. */
  public record TokenCounts<E>(ToLongFunction<E> input, ToLongFunction<E> learned) {}

  /**
   * The stage the run appends to the model's history: its kind, privacy unit, data name and fingerprint, and the
   * trainer's settings.
   */
  public record Stage(String kind, PrivacyUnit unit, String dataName, String fingerprint,
      Map<String, String> settings) {}

  private DpRun() {}

  /**
   * Trains {@code model}'s weights and {@code extraParameters} (updated in place) on {@code data}.
   *
   * @param seqLen the graph's sequence length (every example's input length at most this)
   * @param stage the stage the run appends to the model's history
   */
  public static <E> DpTrainingResult train(DpSgdConfig config, List<TrainingListener> listeners, TransformerLm model,
      Map<String, INDArray> extraParameters, PerExampleLoss<E> loss, List<E> data, int seqLen,
      TokenCounts<E> counts, Stage stage) {
    return train(config, listeners, model, extraParameters, loss, data, batch -> batch, 1, seqLen, counts, stage);
  }

  /**
   * Trains on examples made from each step's sampled items of {@code data} by {@code examples} (called once per
   * step with the sampled items in order, an empty sample included, for which it must return no examples), with
   * {@code updatesPerBatch} DP-SGD updates on each batch.
   *
   * @param updatesPerBatch k, {@code >= 1}; the accountant records one step of {@code sigma / sqrt(k)} per batch
   *     and sigma is calibrated accordingly
   */
  public static <D, E> DpTrainingResult train(DpSgdConfig config, List<TrainingListener> listeners, TransformerLm model,
      Map<String, INDArray> extraParameters, PerExampleLoss<E> loss, List<D> data,
      Function<List<D>, List<E>> examples, int updatesPerBatch, int seqLen, TokenCounts<E> counts, Stage stage) {
    Args.positive("updatesPerBatch", updatesPerBatch);
    double perBatch = Math.sqrt(updatesPerBatch);
    int n = data.size();
    PrivacySettings privacy = config.privacy();
    double delta = privacy.deltaFor(n);
    // independent streams for sampling and noise, both from the seed
    SplittableRandom seeds = new SplittableRandom(config.seed());
    long samplingSeed = seeds.nextLong();
    long noiseSeed = seeds.nextLong();
    BatchSampler sampler = privacy.fixedSizeBatches()
        ? new FixedSizeSampler(n, (int) Math.max(1, Math.round(privacy.sampleRateFor(n) * n)), samplingSeed)
        : new PoissonSampler(n, privacy.sampleRateFor(n), samplingSeed);
    double q = sampler.sampleRate();
    long totalSteps = config.steps() > 0 ? config.steps() : NoiseCalibration.stepsForEpochs(config.epochs(), q);
    double sigma;
    if (privacy.noiseMultiplier().isPresent()) {
      sigma = privacy.noiseMultiplier().getAsDouble();
    } else {
      NoiseCalibration.Result cal = NoiseCalibration.forSteps(privacy.targetEpsilon().getAsDouble(), q, totalSteps,
          delta, privacy.accountant()::create);
      sigma = cal.noiseMultiplier() * perBatch;
      LOG.info("noise multiplier {} for epsilon {} at delta {} ({} steps at q {}, {} updates per batch)", sigma,
          cal.epsilon(), delta, totalSteps, q, updatesPerBatch);
    }
    double accountedSigma = sigma / perBatch;
    TransformerWeights weights = model.weights();
    boolean training = model.config().dropout() > 0;
    GradientPath path = privacy.gradientPath().resolve(model.config());
    PerExampleGradients<E> gradients =
        path.build(weights, extraParameters, loss, seqLen, privacy.physicalBatchSize(), training);
    Map<String, INDArray> parameters = new LinkedHashMap<>(weights.asMap());
    parameters.putAll(extraParameters);
    DpSgd.Settings settings = new DpSgd.Settings(sigma, privacy.clipNorm(), privacy.clippingMode(),
        sampler.expectedBatchSize(), noiseSeed, privacy.noiseFree());
    PrivacyAccountant accountant = privacy.newAccountant();
    PrivateObjective<D, E> objective = new PrivateObjective<>(new DpSgd<>(gradients, parameters, settings), data,
        examples, counts, privacy.noiseFree() ? null : accountant, accountedSigma, q, delta, privacy.epsilonEvery());
    // the loop applies the private gradient with AdamW under the schedule; clipping is per example, not global
    LoopSettings loop = LoopSettings.builder().optimizer(config.optimizer()).updatesPerBatch(updatesPerBatch)
        .seed(config.seed()).build();
    TrainingLoop.Session session =
        new TrainingLoop(loop, listeners).start(parameters, TransformerWeights::decays, totalSteps);
    TrainingLoop.Result run = session.run(sampler, totalSteps, objective);
    session.end();
    List<EpsilonPoint> epsilons = objective.epsilons;
    double epsilon = Double.POSITIVE_INFINITY;
    if (!privacy.noiseFree()) {
      epsilon = accountant.epsilon(delta);
      if (epsilons.isEmpty() || epsilons.get(epsilons.size() - 1).step() != totalSteps) {
        epsilons.add(new EpsilonPoint(totalSteps, epsilon));
      }
      if (privacy.fixedSizeBatches()) {
        LOG.warn("epsilon {} assumes Poisson sampling; this run used fixed-size batches", epsilon);
      }
    }
    TrainingStage record = TrainingStage.of(stage.kind(), stage.dataName(), stage.fingerprint(), stage.settings(),
        totalSteps * updatesPerBatch, config.seed());
    if (!privacy.noiseFree()) {
      record = record.withPrivacy(
          new PrivacySpent(epsilon, delta, accountedSigma, q, totalSteps, accountant.name(), stage.unit()));
    }
    TransformerLm trained = model.withProvenance(model.provenance().withStage(record));
    return new DpTrainingResult(trained, epsilon, delta, totalSteps, sigma, q, accountant, accountant.history(),
        epsilons, run.finalLoss(), run.history(), path, objective.clippedFraction());
  }

  /**
   * DP-SGD as the {@link TrainingLoop}'s objective: a batch is the examples made from the sampled items, its
   * gradient the private one ({@link DpSgd#privateGradient}: clipped per example, noised, divided by the expected
   * batch size), which the loop applies as it is; the step reports the mean per-example loss and norm before
   * clipping (NaN for an empty sample, which is a step of noise alone, not divergence), and every step is
   * recorded with the accountant.
   */
  private static final class PrivateObjective<D, E> implements TrainingLoop.Objective<PrivateObjective.Batch<E>> {

    /** A step's examples and their token counts. */
    record Batch<E>(List<E> examples, long inputTokens, long learnedTokens) {}

    private final DpSgd<E> engine;
    private final List<D> data;
    private final Function<List<D>, List<E>> examples;
    private final TokenCounts<E> counts;
    private final PrivacyAccountant accountant;
    private final double accountedSigma;
    private final double q;
    private final double delta;
    private final long epsilonEvery;
    private final List<EpsilonPoint> epsilons = new ArrayList<>();
    private ClipStats last = ClipStats.EMPTY;
    private long seen;
    private long clipped;

    /** The objective; {@code accountant} null for a non-private run. */
    PrivateObjective(DpSgd<E> engine, List<D> data, Function<List<D>, List<E>> examples, TokenCounts<E> counts,
        PrivacyAccountant accountant, double accountedSigma, double q, double delta, long epsilonEvery) {
      this.engine = engine;
      this.data = data;
      this.examples = examples;
      this.counts = counts;
      this.accountant = accountant;
      this.accountedSigma = accountedSigma;
      this.q = q;
      this.delta = delta;
      this.epsilonEvery = epsilonEvery;
    }

    @Override
    public Batch<E> batch(int[] indices) {
      List<E> batch = examples.apply(BatchSampler.select(data, indices));
      long inputTokens = 0;
      long learnedTokens = 0;
      for (E e : batch) {
        inputTokens += counts.input().applyAsLong(e);
        learnedTokens += counts.learned().applyAsLong(e);
      }
      return new Batch<>(batch, inputTokens, learnedTokens);
    }

    @Override
    public TrainingLoop.Gradients gradients(Batch<E> batch) {
      DpSgd.NoisyGradient g = engine.privateGradient(batch.examples());
      last = g.stats();
      seen += last.examples();
      clipped += last.clipped();
      return new TrainingLoop.Gradients(last.meanLoss(), g.gradient(), batch.learnedTokens(), batch.inputTokens());
    }

    /** Leaves the private gradient as it is (each example's gradient is clipped already). */
    @Override
    public double clip(TrainingLoop.Gradients g, double clipNorm) {
      return last.meanNorm();
    }

    @Override
    public boolean diverged(TrainingLoop.Gradients g, double norm) {
      return last.examples() > 0 && (!Double.isFinite(g.loss()) || !Double.isFinite(norm));
    }

    @Override
    public void afterStep(Batch<E> batch, TrainingLoop.Gradients g, StepMetrics metrics) {
      if (accountant != null) {
        accountant.step(accountedSigma, q);
        if (epsilonEvery > 0 && metrics.step() % epsilonEvery == 0) {
          epsilons.add(new EpsilonPoint(metrics.step(), accountant.epsilon(delta)));
        }
      }
    }

    /** The fraction of all example gradients that clipping scaled down. */
    double clippedFraction() {
      return seen == 0 ? 0 : (double) clipped / seen;
    }
  }
}
