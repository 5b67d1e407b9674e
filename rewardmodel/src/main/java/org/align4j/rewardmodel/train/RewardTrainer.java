package org.align4j.rewardmodel.train;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.StepMetrics;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingLoop;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link TransformerRewardModel} on preference pairs with the Bradley-Terry loss of TRL's
 * {@code RewardTrainer}: {@code -log σ(r_c - r_r - m)} averaged over the batch (margin {@code m} from the pair, 0
 * when absent or when margins are off), plus the optional centring term {@code c · mean((r_c + r_r)²)}.
 *
 * <p>The loss is a SameDiff graph over the core transformer: each step's chosen and rejected sequences are scored
 * together (2B rows, chosen first), the hidden state at each sequence's last token (the appended EOS) is picked by
 * one-hot selection matrices times the hidden states (no {@code gather}), and the head is a trainable parameter of
 * the graph. The log-sigmoid is written as {@code (x - |x|)/2 - log1p(exp(-|x|))}, finite for every input and with
 * the right gradient at 0. AdamW with linear warm-up and cosine decay, clipping by global gradient norm, and
 * evaluation on held-out pairs (loss, accuracy with ties wrong, mean margin, reward statistics), all reproducible
 * from the configured seed. Listeners receive every step and evaluation (for a progress bar or a metrics log);
 * checkpoints are saved every {@code checkpointEvery} steps when configured.
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
    PairGraph graph = new PairGraph(model, maxLength(data.pairs()), model.backbone().config().dropout() > 0,
        config.centerRewardsCoefficient());
    List<RewardPair> pairs = data.pairs();
    TrainingLoop.Objective<PairBatch> objective = new TrainingLoop.Objective<>() {
      @Override
      public PairBatch batch(int[] indices) {
        List<RewardPair> batch = new ArrayList<>(indices.length);
        for (int index : indices) {
          batch.add(pairs.get(index));
        }
        return new PairBatch(batch, graph.placeholders(batch));
      }

      @Override
      public TrainingLoop.Gradients gradients(PairBatch b) {
        TransformerGraph.Gradients g = graph.graph.gradients(b.placeholders(), PairGraph.LOSS);
        return new TrainingLoop.Gradients(g.outputs().get(PairGraph.LOSS).getDouble(0), g.byWeight(),
            2L * b.pairs().size(), tokens(b.pairs()));
      }

      @Override
      public void afterStep(PairBatch b, TrainingLoop.Gradients last, StepMetrics m) {
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
    TrainingLoop.Result r = new TrainingLoop(config.loopSettings(), listeners)
        .run(pairs.size(), parameters(model), objective, evaluator);
    TransformerRewardModel trained = model.withProvenance(model.provenance()
        .withStage(TrainingStage.of("reward", dataName, data.sha256(), config, r.steps(), config.seed())));
    return new RewardTrainingResult(trained, r.steps(), r.finalLoss(), data.truncated(), r.tokensPerSecond(),
        r.history(), evaluations, Optional.empty());
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

  /** A step's pairs and the graph's placeholders for them. */
  private record PairBatch(List<RewardPair> pairs, Map<String, INDArray> placeholders) {}

  /**
   * The training graph's loss on one batch of pairs, without updating anything (used to check the graph against
   * the float64 {@link BradleyTerryLoss} over the model's own scores).
   */
  double graphLoss(TransformerRewardModel model, Dataset<PreferencePair> pairs) {
    List<RewardPair> batch = encode(model, pairs).pairs();
    PairGraph graph = new PairGraph(model, maxLength(batch), false, config.centerRewardsCoefficient());
    return graph.graph.sameDiff().output(graph.placeholders(batch), PairGraph.LOSS).get(PairGraph.LOSS)
        .getDouble(0);
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

  private static Map<String, INDArray> parameters(TransformerRewardModel model) {
    Map<String, INDArray> params = new LinkedHashMap<>(model.backbone().weights().asMap());
    params.put(HEAD_WEIGHT, model.headWeight());
    params.put(HEAD_BIAS, model.headBias());
    return params;
  }

  private static int maxLength(List<RewardPair> pairs) {
    return pairs.stream().mapToInt(RewardPair::length).max().orElseThrow();
  }

  private static long tokens(List<RewardPair> batch) {
    return batch.stream().mapToLong(RewardPair::tokens).sum();
  }


  /** The transformer graph with the scalar head and the Bradley-Terry loss over a batch of pairs. */
  private static final class PairGraph {
    static final String LOSS = "loss";

    final TransformerGraph graph;
    final int seqLen;
    final int padId;

    PairGraph(TransformerRewardModel model, int seqLen, boolean training, double centerCoefficient) {
      this.graph = TransformerGraph.create(model.backbone().weights(), seqLen, training);
      this.seqLen = seqLen;
      this.padId = model.tokenizer().padId();
      SameDiff sd = graph.sameDiff();
      SDVariable w = graph.addParameter(HEAD_WEIGHT, model.headWeight());
      SDVariable b = graph.addParameter(HEAD_BIAS, model.headBias());
      // [B, 2B*T] one-hot rows picking each pair's last chosen / rejected position out of hidden [2B*T, d].
      SDVariable selectChosen = sd.placeHolder("select_chosen", DataType.FLOAT, -1, -1);
      SDVariable selectRejected = sd.placeHolder("select_rejected", DataType.FLOAT, -1, -1);
      SDVariable margin = sd.placeHolder("margin", DataType.FLOAT, -1);
      SDVariable hidden = graph.hidden();
      SDVariable rc = sd.reshape(selectChosen.mmul(hidden).mmul(w).add(b), -1);
      SDVariable rr = sd.reshape(selectRejected.mmul(hidden).mmul(w).add(b), -1);
      SDVariable z = rc.sub(rr).sub(margin);
      SDVariable absZ = sd.math.abs(z);
      SDVariable logSigmoid = z.sub(absZ).mul(0.5).sub(sd.math.log1p(sd.math.exp(absZ.neg())));
      SDVariable loss = sd.mean(logSigmoid).neg();
      if (centerCoefficient > 0) {
        loss = loss.add(sd.mean(sd.math.square(rc.add(rr))).mul(centerCoefficient));
      }
      sd.setLossVariables(loss.rename(LOSS));
    }

    /** Tokens (chosen rows first, then rejected, padded), the two selection matrices and the margins. */
    Map<String, INDArray> placeholders(List<RewardPair> batch) {
      int b = batch.size();
      int[][] tokens = new int[2 * b][seqLen];
      float[][] selectChosen = new float[b][2 * b * seqLen];
      float[][] selectRejected = new float[b][2 * b * seqLen];
      float[] margins = new float[b];
      for (int i = 0; i < b; i++) {
        RewardPair p = batch.get(i);
        fill(tokens[i], p.chosen());
        fill(tokens[b + i], p.rejected());
        selectChosen[i][i * seqLen + p.chosen().length - 1] = 1f;
        selectRejected[i][(b + i) * seqLen + p.rejected().length - 1] = 1f;
        margins[i] = (float) p.margin();
      }
      return Map.of(
          "tokens", Nd4j.createFromArray(tokens),
          "select_chosen", Nd4j.createFromArray(selectChosen),
          "select_rejected", Nd4j.createFromArray(selectRejected),
          "margin", Nd4j.createFromArray(margins));
    }

    private void fill(int[] row, int[] sequence) {
      Arrays.fill(row, padId);
      System.arraycopy(sequence, 0, row, 0, sequence.length);
    }
  }
}
