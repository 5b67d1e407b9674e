package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.TrainingListener;
import org.align4j.rewardmodel.TransformerRewardModel;

/**
 * Differentially private Bradley-Terry training of a {@link TransformerRewardModel} by DP-SGD ({@link DpSgd} with
 * {@link BradleyTerryPairLoss}): pair-level privacy. Each preference pair, both its sequences together, is one
 * example: pairs are Poisson-sampled at rate q, each pair's gradient of {@code -log sigmoid(r_c - r_r - m)} (over
 * the backbone and the head weight) is clipped to C, Gaussian noise of standard deviation {@code sigma * C} is
 * added to the sum, which is divided by {@code q * N}; AdamW updates the model; an accountant records every step.
 *
 * <pre>{@code
 * DpSgdConfig dp = DpSgdConfig.builder().targetEpsilon(8).expectedBatchSize(64).epochs(3).build();
 * DpRewardResult r = new DpRewardTrainer(DpRewardConfig.of(dp)).train(rewardModel, pairs);
 * System.out.println(r.epsilon() + " at delta " + r.delta());
 * }</pre>
 *
 * <p>Pairs are encoded as {@link TransformerRewardModel#encode} does (prompts cut from the left). The head bias
 * is not trained: it cancels in the loss. The centring term of the non-private trainer is not offered. Both
 * gradient paths handle pairs: the loop runs each pair as a 2-row micro-batch, the hand-written passes clip a
 * pair's two rows as one example (see {@link BackpropPerExampleGradients}). The model's backbone and head are
 * updated in place; the run is reproducible from the seed.
 */
public final class DpRewardTrainer {

  /** The head weight's parameter name in the engine. */
  static final String HEAD = "head.w";

  private final DpRewardConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public DpRewardTrainer(DpRewardConfig config, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.listeners = List.of(listeners);
  }

  /**
   * Trains {@code model} on {@code train}.
   *
   * @throws IllegalArgumentException when the data set is empty or a response does not fit the context (the
   *     message names the pair)
   */
  public DpRewardResult train(TransformerRewardModel model, Dataset<PreferencePair> train) {
    Objects.requireNonNull(model, "model");
    List<RewardPair> pairs = encode(model, train, config.useMargins());
    int seqLen = pairs.stream().mapToInt(RewardPair::length).max().orElseThrow();
    String sha256 = DataFingerprint.ofPairs(train);
    DpTrainingResult r = DpRun.train(config.dp(), listeners, model.backbone(), Map.of(HEAD, model.headWeight()),
        new BradleyTerryPairLoss(HEAD), pairs, seqLen,
        new DpRun.TokenCounts<>(p -> p.chosen().length + p.rejected().length, p -> 2),
        new DpRun.Stage("reward", PrivacyUnit.EXAMPLE, train.name(), sha256, TrainingStage.settingsOf(config)));
    return new DpRewardResult(model.withProvenance(r.model().provenance()), r);
  }

  /** The pairs as the reward head reads them. */
  static List<RewardPair> encode(TransformerRewardModel model, Dataset<PreferencePair> data, boolean margins) {
    Objects.requireNonNull(data, "data");
    List<RewardPair> out = new ArrayList<>();
    try (Stream<PreferencePair> s = data.stream()) {
      for (Iterator<PreferencePair> it = s.iterator(); it.hasNext(); ) {
        PreferencePair p = it.next();
        try {
          out.add(new RewardPair(model.encode(p.prompt(), p.chosen()), model.encode(p.prompt(), p.rejected()),
              margins ? p.margin().orElse(0.0) : 0.0));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("pair " + p.id() + " of " + data.name() + ": " + e.getMessage(), e);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("data set " + data.name() + " is empty: no preference pair to train on");
    }
    return out;
  }
}
