package org.align4j.rewardmodel.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.BatchGradients;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.BatchSampler;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingLoop;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link TransformerRewardModel} on preference pairs with the Bradley-Terry loss of TRL's
 * {@code RewardTrainer}: {@code -log σ(r_c - r_r - m)} averaged over the batch (margin {@code m} from the pair, 0
 * when absent or when margins are off), plus the optional centring term {@code c · mean((r_c + r_r)²)}.
 *
 * <p>The objective is {@link BradleyTerryPairLoss}, written once for plain and private training: a pair's chosen
 * and rejected sequences are two rows of one pass, the reward is the head on the hidden state at each sequence's
 * last token (the appended EOS), and the plain step minimises the batch mean ({@link BatchGradients}: on the
 * hand-written passes when the model's architecture has them). The log-sigmoid is written as
 * {@code (x - |x|)/2 - log1p(exp(-|x|))}, finite for every input and with the right gradient at 0. AdamW with linear
 * warm-up and cosine decay, clipping by global gradient norm, and evaluation on held-out pairs (loss, accuracy with
 * ties wrong, mean margin, reward statistics), all reproducible from the configured seed. Listeners receive every
 * step and evaluation (for a progress bar or a metrics log); checkpoints are saved every {@code checkpointEvery}
 * steps when configured. The head's bias is trained only by the centring term, the one place it appears.
 *
 * <p>With privacy settings ({@link RewardTrainerConfig#privacy()}) the run trains by DP-SGD with pair-level
 * privacy ({@link DpRun}): pairs are Poisson-sampled, each pair's gradient of its own loss
 * {@code -log σ(r_c - r_r - m)} over the backbone and the head weight ({@link BradleyTerryPairLoss}: both sequences
 * of a pair are one example) is clipped, Gaussian noise is added, and the accountant's epsilon goes into
 * {@link RewardTrainingResult#privacy()} and the model's history. The head bias, which cancels in the loss, is not
 * trained. Evaluation data is then evaluated once, after training; the centring term, periodic evaluation and
 * checkpoints are refused with privacy.
 *
 * <p>The model's weights and head are updated in place; the tokenized data is held in memory. Prompts too long for
 * the context are cut from the left (see {@link TransformerRewardModel#encode}); their count is returned. The
 * returned model's history is extended by this stage: the training data's name and fingerprint, the settings, the
 * seed and the steps.
 */
public final class RewardTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(RewardTrainer.class);

  /** The head's parameter names in the training graph and optimiser. */
  static final String HEAD_WEIGHT = "head.w";
  static final String HEAD_BIAS = "head.b";

  private final RewardTrainerConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public RewardTrainer(RewardTrainerConfig config, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.listeners = List.of(listeners);
  }

  /** The settings. */
  public RewardTrainerConfig config() {
    return config;
  }

  /** Trains without evaluation. */
  public RewardTrainingResult train(TransformerRewardModel model, Dataset<PreferencePair> train) {
    return train(model, train, null);
  }

  /**
   * Trains on {@code train}, evaluating on {@code eval} (may be null) every {@code evalEvery} steps and at the end
   * (with privacy, once at the end).
   *
   * @throws IllegalArgumentException when a data set is empty or a response does not fit the context
   */
  public RewardTrainingResult train(
      TransformerRewardModel model, Dataset<PreferencePair> train, Dataset<PreferencePair> eval) {
    Encoded data = encode(model, train);
    Encoded evalData = eval == null ? null : encode(model, eval);
    if (data.truncated() > 0) {
      LOG.warn("{}: {} of {} pairs did not fit the context of {} tokens; their prompts were cut from the left",
          train.name(), data.truncated(), data.pairs().size(), model.contextLength());
    }
    return run(model, train.name(), data, evalData);
  }

  /** Evaluates {@code model} on {@code pairs} with this trainer's loss settings (step 0). */
  public RewardEvalMetrics evaluate(TransformerRewardModel model, Dataset<PreferencePair> pairs) {
    return evaluate(model, encode(model, pairs).pairs(), 0);
  }

  /** Tokenized data with its bookkeeping. */
  private record Encoded(List<RewardPair> pairs, int truncated, String sha256) {}

  private Encoded encode(TransformerRewardModel model, Dataset<PreferencePair> data) {
    Objects.requireNonNull(data, "data");
    Tokenizer tok = model.tokenizer();
    List<RewardPair> out = new ArrayList<>();
    int truncated = 0;
    try (Stream<PreferencePair> s = data.stream()) {
      for (Iterator<PreferencePair> it = s.iterator(); it.hasNext(); ) {
        PreferencePair p = it.next();
        int[] chosen;
        int[] rejected;
        try {
          chosen = model.encode(p.prompt(), p.chosen());
          rejected = model.encode(p.prompt(), p.rejected());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("pair " + p.id() + " of " + data.name() + ": " + e.getMessage(), e);
        }
        int promptLength = tok.encode(p.prompt()).length;
        if (chosen.length - 2 - promptLength < tok.encode(p.chosen()).length
            || rejected.length - 2 - promptLength < tok.encode(p.rejected()).length) {
          truncated++;
        }
        double margin = config.useMargins() ? p.margin().orElse(0.0) : 0.0;
        out.add(new RewardPair(chosen, rejected, margin));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("data set " + data.name() + " is empty: no preference pair to train on");
    }
    String sha256 = DataFingerprint.ofPairs(data);
    return new Encoded(List.copyOf(out), truncated, sha256);
  }

  private RewardTrainingResult run(TransformerRewardModel model, String dataName, Encoded data, Encoded eval) {
    return config.privacy().enabled() ? runPrivate(model, dataName, data, eval) : runPlain(model, dataName, data, eval);
  }

  private RewardTrainingResult runPlain(TransformerRewardModel model, String dataName, Encoded data, Encoded eval) {
    BatchGradients<RewardPair> gradients = plainGradients(model, maxLength(data.pairs()),
        model.backbone().config().dropout() > 0);
    List<RewardPair> pairs = data.pairs();
    TrainingLoop.Objective<List<RewardPair>> objective = new TrainingLoop.Objective<>() {
      @Override
      public List<RewardPair> batch(int[] indices) {
        return BatchSampler.select(pairs, indices);
      }

      @Override
      public TrainingLoop.Gradients gradients(List<RewardPair> batch) {
        BatchGradients.Result g = gradients.compute(batch);
        return new TrainingLoop.Gradients(g.loss(), g.gradients(), 2L * batch.size(), tokens(batch));
      }

      @Override
      public void afterStep(List<RewardPair> batch, TrainingLoop.Gradients last, StepMetrics m) {
        if (config.checkpointEvery() > 0 && m.step() % config.checkpointEvery() == 0) {
          model.save(config.checkpointDirectory().resolve("step-" + m.step()));
        }
      }
    };
    List<RewardEvalMetrics> evaluations = new ArrayList<>();
    TrainingLoop.Evaluator evaluator = eval == null ? null : step -> {
      RewardEvalMetrics em = evaluate(model, eval.pairs(), step);
      evaluations.add(em);
      return em.loss();
    };
    Map<String, INDArray> parameters = new LinkedHashMap<>(model.backbone().weights().asMap());
    parameters.putAll(heads(model));
    TrainingLoop.Result r = new TrainingLoop(config.loopSettings(), listeners)
        .run(pairs.size(), parameters, objective, evaluator);
    TransformerRewardModel trained = model.withProvenance(model.provenance()
        .withStage(TrainingStage.of("reward", dataName, data.sha256(), config, r.steps(), config.seed())));
    return new RewardTrainingResult(trained, r.steps(), r.finalLoss(), data.truncated(), r.tokensPerSecond(),
        r.history(), evaluations, Optional.empty());
  }

  /**
   * The plain step's gradients of {@link BradleyTerryPairLoss} (with this trainer's centring) over the backbone and
   * the head: the weight, and the bias when centring reads it.
   */
  private BatchGradients<RewardPair> plainGradients(TransformerRewardModel model, int seqLen, boolean training) {
    BradleyTerryPairLoss loss = new BradleyTerryPairLoss(HEAD_WEIGHT, HEAD_BIAS, config.centerRewardsCoefficient());
    return BatchGradients.create(model.backbone().weights(), heads(model), loss, seqLen, training);
  }

  /** The trainable head parameters: the weight, and the bias when the centring term reads it. */
  private Map<String, INDArray> heads(TransformerRewardModel model) {
    Map<String, INDArray> heads = new LinkedHashMap<>();
    heads.put(HEAD_WEIGHT, model.headWeight());
    if (config.centerRewardsCoefficient() > 0) {
      heads.put(HEAD_BIAS, model.headBias());
    }
    return heads;
  }

  /** DP-SGD on each pair's own Bradley-Terry loss (the backbone and the head weight); evaluation once at the end. */
  private RewardTrainingResult runPrivate(TransformerRewardModel model, String dataName, Encoded data, Encoded eval) {
    List<RewardPair> pairs = data.pairs();
    DpSgdConfig dp = DpSgdConfig.of(config.privacy(), config.batchSize(), config.optimizer(), config.maxSteps(),
        config.epochs(), config.seed());
    DpTrainingResult r = DpRun.train(dp, listeners, model.backbone(), Map.of(HEAD_WEIGHT, model.headWeight()),
        new BradleyTerryPairLoss(HEAD_WEIGHT), pairs, maxLength(pairs),
        new DpRun.TokenCounts<>(RewardPair::tokens, p -> 2),
        new DpRun.Stage("reward", PrivacyUnit.EXAMPLE, dataName, data.sha256(), TrainingStage.settingsOf(config)));
    TransformerRewardModel trained = model.withProvenance(r.model().provenance());
    List<RewardEvalMetrics> evaluations =
        eval == null ? List.of() : List.of(evaluate(trained, eval.pairs(), r.steps()));
    return new RewardTrainingResult(trained, r.steps(), r.finalLoss(), data.truncated(), r.tokensPerSecond(),
        r.history(), evaluations, Optional.of(r));
  }

  /**
   * The plain step's loss on one batch of pairs, without updating anything (used to check the training objective
   * against the float64 {@link BradleyTerryLoss} over the model's own scores).
   */
  double graphLoss(TransformerRewardModel model, Dataset<PreferencePair> pairs) {
    List<RewardPair> batch = encode(model, pairs).pairs();
    return plainGradients(model, maxLength(batch), false).compute(batch).loss();
  }

  private RewardEvalMetrics evaluate(TransformerRewardModel model, List<RewardPair> pairs, long step) {
    List<int[]> chosen = new ArrayList<>(pairs.size());
    List<int[]> rejected = new ArrayList<>(pairs.size());
    double[] margins = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      chosen.add(pairs.get(i).chosen());
      rejected.add(pairs.get(i).rejected());
      margins[i] = pairs.get(i).margin();
    }
    double[] rc = model.scoreTokens(chosen);
    double[] rr = model.scoreTokens(rejected);
    BradleyTerryLoss loss = config.loss();
    return new RewardEvalMetrics(step, pairs.size(), loss.loss(rc, rr, margins), BradleyTerryLoss.metrics(rc, rr));
  }

  private static int maxLength(List<RewardPair> pairs) {
    return pairs.stream().mapToInt(RewardPair::length).max().orElseThrow();
  }

  private static long tokens(List<RewardPair> batch) {
    return batch.stream().mapToLong(RewardPair::tokens).sum();
  }
}
