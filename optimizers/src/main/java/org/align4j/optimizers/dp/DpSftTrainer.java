package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.AdamW;
import org.align4j.core.train.LearningRateSchedule;
import org.align4j.core.train.MetricsHistory;
import org.align4j.core.train.SftExample;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.optimizers.privacy.NoiseCalibration;
import org.align4j.optimizers.privacy.PrivacyAccountant;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differentially private supervised fine-tuning of a {@link TransformerLm}: next-token training by DP-SGD
 * ({@link DpSgd} with {@link SequenceNllLoss}) on Poisson-sampled batches, each step recorded with a privacy
 * accountant, whose (epsilon, delta) the result reports. Example-level privacy: each example is one sequence
 * {@code BOS + text + EOS} (truncated to the context, as in {@code SftTrainer}).
 *
 * <pre>{@code
 * DpSftConfig config = DpSftConfig.builder().targetEpsilon(8).expectedBatchSize(64).epochs(3).build();
 * DpTrainingResult r = new DpSftTrainer(config).train(model, dataset);
 * System.out.println(r.epsilon() + " at delta " + r.delta());
 * r.accountant().save(Path.of("sft-privacy.json"));
 * }</pre>
 *
 * <p>The model's weights are updated in place; the run is reproducible from the seed. Other trainers reuse the
 * same engine with their own {@link PerExampleLoss}.
 */
public final class DpSftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(DpSftTrainer.class);

  private final DpSftConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public DpSftTrainer(DpSftConfig config, TrainingListener... listeners) {
    this.config = config;
    this.listeners = List.of(listeners);
  }

  /** Trains on whole texts. */
  public DpTrainingResult train(TransformerLm model, Dataset<TextExample> train) {
    Tokenizer tok = model.tokenizer();
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<TextExample> s = train.stream()) {
      s.forEach(e -> pairs.add(new int[][] {new int[0], tok.encode(e.text())}));
    }
    return run(model, train.name(), Datasets.sha256(train), encode(train.name(), pairs, tok, model));
  }

  /** Trains on prompt/completion pairs, the loss covering completions only. */
  public DpTrainingResult trainOnCompletions(TransformerLm model, Dataset<SftExample> train) {
    Tokenizer tok = model.tokenizer();
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<SftExample> s = train.stream()) {
      s.forEach(e -> pairs.add(new int[][] {tok.encode(e.prompt()), tok.encode(e.completion())}));
    }
    String sha = Datasets.sha256(train, e -> e.prompt().length() + ":" + e.prompt() + e.completion());
    return run(model, train.name(), sha, encode(train.name(), pairs, tok, model));
  }

  private static List<TokenSequence> encode(String name, List<int[][]> pairs, Tokenizer tok, TransformerLm model) {
    int context = model.contextLength();
    List<TokenSequence> out = new ArrayList<>(pairs.size());
    int truncated = 0;
    for (int[][] pair : pairs) {
      int[] tokens = new int[pair[0].length + pair[1].length + 2];
      tokens[0] = tok.bosId();
      System.arraycopy(pair[0], 0, tokens, 1, pair[0].length);
      System.arraycopy(pair[1], 0, tokens, 1 + pair[0].length, pair[1].length);
      tokens[tokens.length - 1] = tok.eosId();
      if (tokens.length > context) {
        tokens = Arrays.copyOf(tokens, context);
        truncated++;
      }
      int lossStart = 1 + pair[0].length;
      if (lossStart < tokens.length) {
        out.add(new TokenSequence(tokens, lossStart));
      }
    }
    if (truncated > 0) {
      LOG.warn("{}: {} of {} sequences were truncated to the context of {} tokens", name, truncated, pairs.size(),
          context);
    }
    if (out.size() < pairs.size()) {
      // dropping examples depends only on each example itself, so the remaining data set is still the unit
      LOG.warn("{}: {} examples have no token to learn from and are left out", name, pairs.size() - out.size());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + " has no example with a token to learn from");
    }
    return out;
  }

  private DpTrainingResult run(TransformerLm model, String dataName, String sha256, List<TokenSequence> data) {
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
      sigma = cal.noiseMultiplier();
      LOG.info("noise multiplier {} for epsilon {} at delta {} ({} steps at q {})", sigma, cal.epsilon(), delta,
          totalSteps, q);
    }
    int seqLen = data.stream().mapToInt(s -> s.tokens().length - 1).max().orElseThrow();
    TransformerWeights weights = model.weights();
    boolean training = model.config().dropout() > 0;
    GradientPath path = config.gradientPath().resolve(model.config(), Map.of(), seqLen,
        config.physicalBatchSize(), config.memoryBudgetBytes());
    PerExampleGradients<TokenSequence> gradients = path.build(weights, Map.of(), new SequenceNllLoss(), seqLen,
        config.physicalBatchSize(), config.memoryBudgetBytes(), training);
    DpSgd.Settings settings = new DpSgd.Settings(sigma, config.clipNorm(), config.clippingMode(),
        sampler.expectedBatchSize(), noiseSeed, config.nonPrivate());
    DpSgd<TokenSequence> engine = new DpSgd<>(gradients, weights.asMap(), settings,
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
    long examples = 0;
    long clipped = 0;
    for (long step = 1; step <= totalSteps; step++) {
      long t0 = System.nanoTime();
      int[] indices = sampler.next();
      List<TokenSequence> batch = new ArrayList<>(indices.length);
      long inputTokens = 0;
      long lossTokens = 0;
      for (int i : indices) {
        TokenSequence s = data.get(i);
        batch.add(s);
        inputTokens += s.tokens().length - 1;
        lossTokens += s.lossTokens();
      }
      double lr = schedule.at(step - 1);
      ClipStats stats = engine.step(batch, lr);
      examples += stats.examples();
      clipped += stats.clipped();
      if (!config.nonPrivate()) {
        accountant.step(sigma, q);
        if (config.epsilonEvery() > 0 && step % config.epsilonEvery() == 0) {
          epsilons.add(new EpsilonPoint(step, accountant.epsilon(delta)));
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      StepMetrics m = new StepMetrics(step, totalSteps, stats.meanLoss(), lr, stats.meanNorm(), lossTokens,
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
    TransformerLm trained = model.withProvenance(
        model.provenance().withTraining(dataName, sha256, model.provenance().steps() + totalSteps));
    return new DpTrainingResult(trained, epsilon, delta, totalSteps, sigma, q, accountant, accountant.history(),
        epsilons, finalLoss, steps, path, examples == 0 ? 0 : (double) clipped / examples);
  }
}
