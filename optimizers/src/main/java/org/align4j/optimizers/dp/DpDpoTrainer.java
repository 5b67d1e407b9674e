package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.dpo.EncodedPair;
import org.align4j.optimizers.dpo.PairEncoding;
import org.align4j.optimizers.preference.PreferenceLoss;

/**
 * Differentially private DPO (and the per-pair members of {@link PreferenceLoss}'s family) of a
 * {@link TransformerLm} policy against a frozen reference, by DP-SGD ({@link DpSgd} with
 * {@link PreferencePairLoss}): pair-level privacy. Each pair, both its sequences together, is one example: pairs
 * are Poisson-sampled at rate q, each pair's gradient is clipped to C, Gaussian noise of standard deviation
 * {@code sigma * C} is added to the sum, which is divided by {@code q * N}; AdamW updates the policy; an accountant
 * records every step.
 *
 * <pre>{@code
 * DpSgdConfig dp = DpSgdConfig.builder().targetEpsilon(8).expectedBatchSize(32).epochs(2).build();
 * PreferenceLoss loss = PreferenceLoss.builder().type(PreferenceLossType.SIGMOID).beta(0.1).build();
 * DpTrainingResult r = new DpDpoTrainer(dp, loss).train(policy, policy.copy(), pairs);
 * }</pre>
 *
 * <p>Pairs are encoded as the non-private {@code DpoTrainer} does: {@code BOS + prompt + response + EOS}, a
 * sequence longer than the context losing the end of its response; the summed log-probabilities cover the
 * response tokens and the EOS. The reference's sums are computed once, before the first step, and fed as
 * placeholders (a pair's reference values depend on that pair alone, so they do not weaken the per-pair bound). The
 * reference is only read; it may be the policy itself (its state before training). The policy's weights are
 * updated in place; the run is reproducible from the seed.
 */
public final class DpDpoTrainer {

  private final DpSgdConfig config;
  private final PreferencePairLoss loss;
  private final PreferenceLoss lossSettings;
  private final boolean referenceFree;
  private final List<TrainingListener> listeners;

  /**
   * A trainer with the DP-SGD settings {@code config} (its examples are pairs) and {@code loss}.
   *
   * @throws IllegalArgumentException for a batch-coupled loss type or a positive NLL weight
   */
  public DpDpoTrainer(DpSgdConfig config, PreferenceLoss loss, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.loss = new PreferencePairLoss(loss);
    this.lossSettings = loss;
    this.referenceFree = loss.referenceFree();
    this.listeners = List.of(listeners);
  }

  /**
   * Trains {@code policy} against {@code reference} (may be the policy; ignored, and may be null, for a
   * reference-free loss).
   *
   * @throws IllegalArgumentException for empty data, a prompt that leaves no room for a response, or a reference
   *     whose vocabulary or context does not fit the policy
   */
  public DpTrainingResult train(TransformerLm policy, TransformerLm reference, Dataset<PreferencePair> train) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(train, "train");
    Args.check(referenceFree || reference != null, "reference must not be null unless the loss is reference-free");
    if (!referenceFree) {
      Args.check(
          reference.config().vocabSize() == policy.config().vocabSize(),
          "reference vocabulary (%s) differs from the policy's (%s)",
          reference.config().vocabSize(),
          policy.config().vocabSize());
      Args.check(
          reference.contextLength() >= policy.contextLength(),
          "reference context (%s) is shorter than the policy's (%s)",
          reference.contextLength(),
          policy.contextLength());
    }
    PairEncoding encoding = PairEncoding.of(train, policy.tokenizer(), policy.contextLength());
    List<EncodedPair> encoded = encoding.pairs();
    double[] refSums = new double[2 * encoded.size()];
    if (!referenceFree) {
      List<int[]> all = new ArrayList<>(refSums.length);
      encoded.forEach(e -> {
        all.add(e.chosen());
        all.add(e.rejected());
      });
      List<float[]> logProbs = reference.tokenLogProbs(all);
      for (int i = 0; i < refSums.length; i++) {
        refSums[i] = encoded.get(i / 2).responseSum(logProbs.get(i));
      }
    }
    List<PolicyPair> pairs = new ArrayList<>(encoded.size());
    for (int i = 0; i < encoded.size(); i++) {
      EncodedPair e = encoded.get(i);
      pairs.add(new PolicyPair(e.chosen(), e.rejected(), e.responseStart(), refSums[2 * i], refSums[2 * i + 1]));
    }
    int seqLen = pairs.stream().mapToInt(PolicyPair::inputLength).max().orElseThrow();
    String sha256 = encoding.sha256();
    return DpRun.train(config, listeners, policy, Map.of(), loss, pairs, seqLen,
        new DpRun.TokenCounts<>(p -> p.chosen().length + p.rejected().length - 2,
            p -> p.chosenTokens() + p.rejectedTokens()), new DpRun.Stage(lossSettings.type().stageKind(),
            PrivacyUnit.EXAMPLE, train.name(), sha256, settings()));
  }

  private Map<String, String> settings() {
    Map<String, String> settings = new TreeMap<>(TrainingStage.settingsOf(config));
    settings.put("loss", lossSettings.toString());
    return settings;
  }
}
