package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.AdamW;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.LearningRateSchedule;
import org.align4j.core.train.MetricsHistory;
import org.align4j.core.train.PoissonSampler;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.privacy.NoiseCalibration;
import org.align4j.optimizers.privacy.PrivacyAccountant;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private training loop the DP trainers share: resolve q, delta, the steps and sigma (calibrated for a target
 * epsilon), sample batches (Poisson unless fixed-size batches were asked for), take one {@link DpSgd} step per
 * batch under the learning-rate schedule, record every step with the accountant and report epsilon. What is
 * trained is the model's weights plus {@code extraParameters}; what a privacy unit is and its loss come from the
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
final class DpRun {

  private static final Logger LOG = LoggerFactory.getLogger(DpRun.class);

  /** How the loop counts tokens of an example for the step metrics. */
  record TokenCounts<E>(ToLongFunction<E> input, ToLongFunction<E> learned) {}

  /**
   * The stage the run appends to the model's history: its kind, privacy unit, data name and fingerprint, and the
   * trainer's settings.
   */
  record Stage(String kind, PrivacyUnit unit, String dataName, String fingerprint, Map<String, String> settings) {}

  private DpRun() {}

  /**
   * Trains {@code model}'s weights and {@code extraParameters} (updated in place) on {@code data}.
   *
   * @param seqLen the graph's sequence length (every example's input length at most this)
   * @param stage the stage the run appends to the model's history
   */
  static <E> DpTrainingResult train(DpSftConfig config, List<TrainingListener> listeners, TransformerLm model,
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
  static <D, E> DpTrainingResult train(DpSftConfig config, List<TrainingListener> listeners, TransformerLm model,
      Map<String, INDArray> extraParameters, PerExampleLoss<E> loss, List<D> data,
      Function<List<D>, List<E>> examples, int updatesPerBatch, int seqLen, TokenCounts<E> counts, Stage stage) {
    Args.positive("updatesPerBatch", updatesPerBatch);
    double perBatch = Math.sqrt(updatesPerBatch);
    int n = data.size();
    double delta = config.deltaFor(n);
    // independent streams for sampling and noise, both from the seed
    SplittableRandom seeds = new SplittableRandom(config.seed());
    long samplingSeed = seeds.nextLong();
    long noiseSeed = seeds.nextLong();
    BatchSampler sampler = config.fixedSizeBatches()
        ? new FixedSizeSampler(n, (int) Math.max(1, Math.round(config.sampleRateFor(n) * n)), samplingSeed)
        : new PoissonSampler(n, config.sampleRateFor(n), samplingSeed);
    double q = sampler.sampleRate();
    long totalSteps = config.steps() > 0 ? config.steps() : NoiseCalibration.stepsForEpochs(config.epochs(), q);
    double sigma = config.noiseMultiplier();
    if (Double.isNaN(sigma)) {
      NoiseCalibration.Result cal =
          NoiseCalibration.forSteps(config.targetEpsilon(), q, totalSteps, delta, config.accountants());
      sigma = cal.noiseMultiplier() * perBatch;
      LOG.info("noise multiplier {} for epsilon {} at delta {} ({} steps at q {}, {} updates per batch)", sigma,
          cal.epsilon(), delta, totalSteps, q, updatesPerBatch);
    }
    double accountedSigma = sigma / perBatch;
    TransformerWeights weights = model.weights();
    boolean training = model.config().dropout() > 0;
    GradientPath path = config.gradientPath().resolve(model.config());
    PerExampleGradients<E> gradients =
        path.build(weights, extraParameters, loss, seqLen, config.physicalBatchSize(), training);
    Map<String, INDArray> parameters = new LinkedHashMap<>(weights.asMap());
    parameters.putAll(extraParameters);
    DpSgd.Settings settings = new DpSgd.Settings(sigma, config.clipNorm(), config.clippingMode(),
        sampler.expectedBatchSize(), noiseSeed, config.nonPrivate());
    DpSgd<E> engine = new DpSgd<>(gradients, parameters, settings,
        new AdamW(AdamW.Config.withWeightDecay(config.weightDecay()), TransformerWeights::decays));
    LearningRateSchedule schedule = new LearningRateSchedule(
        config.learningRate(), config.warmupSteps(), totalSteps, config.minLearningRateRatio());
    PrivacyAccountant accountant = config.accountants().get();
    Nd4j.getRandom().setSeed(config.seed());

    MetricsHistory history = new MetricsHistory();
    List<TrainingListener> all = new ArrayList<>(listeners);
    all.add(history);
    all.forEach(l -> l.onStart(totalSteps));
    List<EpsilonPoint> epsilons = new ArrayList<>();
    long start = System.nanoTime();
    long seen = 0;
    long clipped = 0;
    for (long step = 1; step <= totalSteps; step++) {
      long t0 = System.nanoTime();
      int[] indices = sampler.next();
      List<D> sampled = new ArrayList<>(indices.length);
      for (int i : indices) {
        sampled.add(data.get(i));
      }
      List<E> batch = examples.apply(sampled);
      long inputTokens = 0;
      long learnedTokens = 0;
      for (E e : batch) {
        inputTokens += counts.input().applyAsLong(e);
        learnedTokens += counts.learned().applyAsLong(e);
      }
      double lr = schedule.at(step - 1);
      ClipStats stats = ClipStats.EMPTY;
      for (int u = 0; u < updatesPerBatch; u++) {
        stats = stats.plus(engine.step(batch, lr));
      }
      seen += stats.examples();
      clipped += stats.clipped();
      if (!config.nonPrivate()) {
        accountant.step(accountedSigma, q);
        if (config.epsilonEvery() > 0 && step % config.epsilonEvery() == 0) {
          epsilons.add(new EpsilonPoint(step, accountant.epsilon(delta)));
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      StepMetrics m = new StepMetrics(step, totalSteps, stats.meanLoss(), lr, stats.meanNorm(), learnedTokens,
          inputTokens / seconds, (System.nanoTime() - start) / 1e9);
      all.forEach(l -> l.onStep(m));
    }
    all.forEach(TrainingListener::onEnd);
    double epsilon = Double.POSITIVE_INFINITY;
    if (!config.nonPrivate()) {
      epsilon = accountant.epsilon(delta);
      if (epsilons.isEmpty() || epsilons.get(epsilons.size() - 1).step() != totalSteps) {
        epsilons.add(new EpsilonPoint(totalSteps, epsilon));
      }
      if (config.fixedSizeBatches()) {
        LOG.warn("epsilon {} assumes Poisson sampling; this run used fixed-size batches", epsilon);
      }
    }
    List<StepMetrics> steps = history.steps();
    double[] losses = steps.stream().mapToDouble(StepMetrics::loss).filter(x -> !Double.isNaN(x)).toArray();
    double finalLoss = Arrays.stream(losses, Math.max(0, losses.length - 10), losses.length).average()
        .orElse(Double.NaN);
    TrainingStage record = TrainingStage.of(stage.kind(), stage.dataName(), stage.fingerprint(), stage.settings(),
        totalSteps * updatesPerBatch, config.seed());
    if (!config.nonPrivate()) {
      record = record.withPrivacy(
          new PrivacySpent(epsilon, delta, accountedSigma, q, totalSteps, accountant.name(), stage.unit()));
    }
    TransformerLm trained = model.withProvenance(model.provenance().withStage(record));
    return new DpTrainingResult(trained, epsilon, delta, totalSteps, sigma, q, accountant, accountant.history(),
        epsilons, finalLoss, steps, path, seen == 0 ? 0 : (double) clipped / seen);
  }
}
