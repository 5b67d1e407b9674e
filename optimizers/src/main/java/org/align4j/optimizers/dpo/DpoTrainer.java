package org.align4j.optimizers.dpo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.EvalMetrics;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingLoop;
import org.align4j.core.util.Args;
import org.align4j.optimizers.preference.PreferenceBatch;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct preference optimisation (and the rest of the {@link PreferenceLoss} family) of a {@link TransformerLm}
 * policy against a frozen reference model.
 *
 * <p>Each pair becomes two sequences, {@code BOS + prompt + chosen + EOS} and {@code BOS + prompt + rejected +
 * EOS}; the summed log-probabilities cover the response tokens and the EOS only (the prompt is masked). The chosen
 * and rejected sequences of a batch of B pairs run together as 2B rows of one pass (the objective is
 * {@link PreferencePairLoss}, whose batch mean the plain step minimises through {@link BatchGradients}: the
 * hand-written passes when the policy's architecture has them, else the SameDiff graph). A sequence longer
 * than the context keeps its beginning and loses the end of its response (EOS first); such pairs are counted in
 * {@link DpoResult#truncatedPairs()} and logged. A prompt that alone leaves no room for a response token is an
 * error. The tokenized pairs are held in memory.
 *
 * <p>The reference model is only read, once, before the first step: its summed log-probabilities of every pair
 * (training and evaluation) are computed by plain inference and fed to the loss as placeholders. With
 * {@link DpoConfig#referenceCache()} they are stored in a file keyed by a hash of the tokenized pairs and the
 * reference model (provenance and weights) and reused by later runs whose key matches. The reference may be the
 * policy itself: its state before training is then the reference. Reference-free losses skip the reference.
 *
 * <p>Optimisation: AdamW, linear warm-up and cosine decay, clipping by global gradient norm, all reproducible from
 * the configured seed. After every step the listeners receive the loss and, when they are {@link DpoListener}s,
 * TRL's preference metrics; evaluation pairs are scored before training, every {@link DpoConfig#evalEvery()} steps
 * and at the end.
 *
 * <p>With privacy settings ({@link DpoConfig#privacy()}) the run trains by DP-SGD with pair-level privacy
 * ({@link DpRun}): a pair, both its sequences, is one example; pairs are Poisson-sampled, each pair's gradient of
 * its own loss ({@link PreferencePairLoss}, against the reference's sums computed before the first step) is clipped,
 * Gaussian noise is added, and the accountant's epsilon is in {@link DpoResult#privacy()} and in the model's
 * history. The listeners then receive the generic step events only (no preference metrics per step), and
 * evaluation pairs are evaluated once, after training, into {@link DpoResult#evaluations()}.
 *
 * <pre>{@code
 * DpoConfig config = DpoConfig.builder()
 *     .loss(PreferenceLoss.builder().type(PreferenceLossType.SIGMOID).beta(0.1).build())
 *     .batchSize(8).epochs(3).learningRate(5e-4).build();
 * DpoResult result = new DpoTrainer(config, new ProgressBar("dpo")).train(policy, policy.copy(), pairs, heldOut);
 * Checkpoints.save(result.model(), Path.of("dpo-model.zip"));
 * }</pre>
 */
public final class DpoTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(DpoTrainer.class);

  private final DpoConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public DpoTrainer(DpoConfig config, TrainingListener... listeners) {
    Args.check(config != null, "config must not be null");
    this.config = config;
    this.listeners = List.of(listeners);
  }

  /** The configuration. */
  public DpoConfig config() {
    return config;
  }

  /** Trains {@code policy} against its own state before training, without evaluation. */
  public DpoResult train(TransformerLm policy, Dataset<PreferencePair> train) {
    return train(policy, policy, train, null);
  }

  /**
   * Trains {@code policy} against the frozen {@code reference}, evaluating on {@code eval} (may be null).
   *
   * @param reference the reference model (may be {@code policy} itself; ignored, and may be null, for
   *     reference-free losses)
   * @throws IllegalArgumentException for empty data, a prompt alone longer than the context, or a reference whose
   *     vocabulary or context does not match the policy
   */
  public DpoResult train(TransformerLm policy, TransformerLm reference, Dataset<PreferencePair> train,
      Dataset<PreferencePair> eval) {
    Args.check(policy != null, "policy must not be null");
    Args.check(train != null, "train data must not be null");
    PreferenceLoss loss = config.loss();
    Args.check(loss.referenceFree() || reference != null, "reference must not be null unless the loss is "
        + "reference-free");
    if (!loss.referenceFree()) {
      Args.check(reference.config().vocabSize() == policy.config().vocabSize(),
          "reference vocabulary (%s) differs from the policy's (%s)", reference.config().vocabSize(),
          policy.config().vocabSize());
      Args.check(reference.contextLength() >= policy.contextLength(),
          "reference context (%s) is shorter than the policy's (%s)", reference.contextLength(),
          policy.contextLength());
    }
    PairEncoding data = PairEncoding.of(train, policy.tokenizer(), policy.contextLength());
    PairEncoding evalData = eval == null ? null : PairEncoding.of(eval, policy.tokenizer(), policy.contextLength());
    List<EncodedPair> all = new ArrayList<>(data.pairs());
    if (evalData != null) {
      all.addAll(evalData.pairs());
    }
    Reference ref = loss.referenceFree() ? new Reference(ResponseLogProbs.zeros(all.size()), false)
        : referenceLogProbs(reference, all);
    int n = data.pairs().size();
    ResponseLogProbs trainRef = ref.values().slice(0, n);
    List<PolicyPair> evalPairs = evalData == null ? null : policyPairs(evalData, ref.values().slice(n, all.size()));
    return config.privacy().enabled() ? runPrivate(policy, data, trainRef, evalData, evalPairs)
        : run(policy, data, trainRef, evalData, evalPairs, ref.fromCache());
  }

  /** The reference's sums and whether they came from the cache file. */
  private record Reference(ResponseLogProbs values, boolean fromCache) {}

  private Reference referenceLogProbs(TransformerLm reference, List<EncodedPair> pairs) {
    Optional<Path> cache = config.referenceCache();
    if (cache.isEmpty()) {
      return new Reference(ResponseLogProbs.compute(reference, pairs), false);
    }
    String key = ReferenceCache.key(reference, pairs);
    Optional<ResponseLogProbs> cached = ReferenceCache.read(cache.get(), key, pairs.size());
    if (cached.isPresent()) {
      LOG.info("reference log-probabilities of {} pairs read from {}", pairs.size(), cache.get());
      return new Reference(cached.get(), true);
    }
    ResponseLogProbs computed = ResponseLogProbs.compute(reference, pairs);
    ReferenceCache.write(cache.get(), key, computed);
    LOG.info("reference log-probabilities of {} pairs written to {}", pairs.size(), cache.get());
    return new Reference(computed, false);
  }

  private DpoResult run(TransformerLm policy, PairEncoding data, ResponseLogProbs ref, PairEncoding eval,
      List<PolicyPair> evalPairs, boolean fromCache) {
    PreferenceLoss loss = config.loss();
    TransformerWeights weights = policy.weights();
    BatchGradients<PolicyPair> step = BatchGradients.create(weights, Map.of(), new PreferencePairLoss(loss),
        data.maxInputLength(), policy.config().dropout() > 0);
    List<PolicyPair> pairs = policyPairs(data, ref);
    List<DpoStepMetrics> history = new ArrayList<>();
    TrainingLoop.Objective<List<PolicyPair>> objective = new TrainingLoop.Objective<>() {
      private PreferenceBatch last;

      @Override
      public List<PolicyPair> batch(int[] indices) {
        return BatchSampler.select(pairs, indices);
      }

      @Override
      public TrainingLoop.Gradients gradients(List<PolicyPair> batch) {
        BatchGradients.Result g = step.compute(batch);
        last = preferenceBatch(batch, g.outputs().get(PreferencePairLoss.CHOSEN).toDoubleVector(),
            g.outputs().get(PreferencePairLoss.REJECTED).toDoubleVector());
        return new TrainingLoop.Gradients(g.loss(), g.gradients(), responseTokens(batch), inputTokens(batch));
      }

      @Override
      public void afterStep(List<PolicyPair> batch, TrainingLoop.Gradients g, StepMetrics m) {
        DpoStepMetrics dm = new DpoStepMetrics(m, loss.metrics(last));
        history.add(dm);
        dpoListeners().forEach(d -> d.onDpoStep(dm));
      }
    };
    List<DpoEvalMetrics> evaluations = new ArrayList<>();
    TrainingLoop.Evaluator evaluator = eval == null ? null : new TrainingLoop.Evaluator() {
      private PreferenceBatch scored;

      @Override
      public double loss(long step) {
        scored = score(policy, eval, evalPairs);
        return loss.mean(scored);
      }

      @Override
      public void afterEvaluation(EvalMetrics m) {
        DpoEvalMetrics em = new DpoEvalMetrics(m.step(), m.loss(), loss.metrics(scored), m.best());
        evaluations.add(em);
        dpoListeners().forEach(d -> d.onDpoEvaluation(em));
      }
    };
    TrainingLoop.Result r = new TrainingLoop(config.loopSettings(), listeners)
        .run(pairs.size(), weights.asMap(), objective, evaluator);
    TransformerLm trained = policy.withProvenance(
        policy.provenance().withStage(TrainingStage.of(config.loss().type().stageKind(), data.name(), data.sha256(),
            config, r.steps(), config.seed())));
    return new DpoResult(trained, r.steps(), r.finalLoss(), data.truncated(), fromCache, r.tokensPerSecond(),
        history, evaluations, Optional.empty());
  }

  /** DP-SGD on each pair's own loss, the pair the privacy unit; evaluation once, after training. */
  private DpoResult runPrivate(TransformerLm policy, PairEncoding data, ResponseLogProbs ref, PairEncoding eval,
      List<PolicyPair> evalPairs) {
    PreferenceLoss loss = config.loss();
    List<PolicyPair> pairs = policyPairs(data, ref);
    DpSgdConfig dp = DpSgdConfig.of(config.privacy(), config.batchSize(), config.optimizer(), config.maxSteps(),
        config.epochs(), config.seed());
    DpTrainingResult r = DpRun.train(dp, listeners, policy, Map.of(), new PreferencePairLoss(loss), pairs,
        data.maxInputLength(), new DpRun.TokenCounts<>(DpoTrainer::inputTokens, DpoTrainer::responseTokens),
        new DpRun.Stage(loss.type().stageKind(), PrivacyUnit.EXAMPLE, data.name(), data.sha256(),
            TrainingStage.settingsOf(config)));
    List<DpoEvalMetrics> evaluations = new ArrayList<>();
    if (eval != null) {
      PreferenceBatch scored = score(policy, eval, evalPairs);
      evaluations.add(new DpoEvalMetrics(r.steps(), loss.mean(scored), loss.metrics(scored), true));
    }
    return new DpoResult(r.model(), r.steps(), r.finalLoss(), data.truncated(), false, r.tokensPerSecond(), List.of(),
        evaluations, Optional.of(r));
  }

  /** The training pairs with the reference's sums. */
  private static List<PolicyPair> policyPairs(PairEncoding data, ResponseLogProbs ref) {
    List<PolicyPair> pairs = new ArrayList<>(data.pairs().size());
    for (int i = 0; i < data.pairs().size(); i++) {
      EncodedPair e = data.pairs().get(i);
      pairs.add(new PolicyPair(e.chosen(), e.rejected(), e.responseStart(), ref.chosen()[i], ref.rejected()[i]));
    }
    return pairs;
  }

  private static long inputTokens(PolicyPair p) {
    return p.chosen().length + p.rejected().length - 2L;
  }

  private static long responseTokens(PolicyPair p) {
    return p.chosenTokens() + (long) p.rejectedTokens();
  }

  private static long inputTokens(List<PolicyPair> batch) {
    return batch.stream().mapToLong(DpoTrainer::inputTokens).sum();
  }

  private static long responseTokens(List<PolicyPair> batch) {
    return batch.stream().mapToLong(DpoTrainer::responseTokens).sum();
  }

  private List<DpoListener> dpoListeners() {
    List<DpoListener> out = new ArrayList<>();
    for (TrainingListener l : listeners) {
      if (l instanceof DpoListener d) {
        out.add(d);
      }
    }
    return out;
  }

  /** The policy's sums over the evaluation pairs, by plain inference, against the reference's. */
  private static PreferenceBatch score(TransformerLm policy, PairEncoding eval, List<PolicyPair> evalPairs) {
    ResponseLogProbs scores = ResponseLogProbs.compute(policy, eval.pairs());
    return preferenceBatch(evalPairs, scores.chosen(), scores.rejected());
  }

  /** The policy's sums {@code pc} and {@code pr} of {@code pairs} against the pairs' reference sums. */
  private static PreferenceBatch preferenceBatch(List<PolicyPair> pairs, double[] pc, double[] pr) {
    int[] lc = pairs.stream().mapToInt(PolicyPair::chosenTokens).toArray();
    int[] lr = pairs.stream().mapToInt(PolicyPair::rejectedTokens).toArray();
    double[] rc = pairs.stream().mapToDouble(PolicyPair::referenceChosen).toArray();
    double[] rr = pairs.stream().mapToDouble(PolicyPair::referenceRejected).toArray();
    return new PreferenceBatch(pc, pr, rc, rr, lc, lr);
  }

}
