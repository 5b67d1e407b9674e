package org.align4j.optimizers.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.util.Args;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differentially private DPO (and the per-pair members of {@link PreferenceLoss}'s family) of a
 * {@link TransformerLm} policy against a frozen reference, by DP-SGD ({@link DpSgd} with
 * {@link PreferencePairLoss}): pair-level privacy. Each pair, both its sequences together, is one example: pairs
 * are Poisson-sampled at rate q, each pair's gradient is clipped to C, Gaussian noise of standard deviation
 * {@code sigma * C} is added to the sum, which is divided by {@code q * N}; AdamW updates the policy; an accountant
 * records every step.
 *
 * <pre>{@code
 * DpSftConfig dp = DpSftConfig.builder().targetEpsilon(8).expectedBatchSize(32).epochs(2).build();
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

  private static final Logger LOG = LoggerFactory.getLogger(DpDpoTrainer.class);

  private final DpSftConfig config;
  private final PreferencePairLoss loss;
  private final boolean referenceFree;
  private final List<TrainingListener> listeners;

  /**
   * A trainer with the DP-SGD settings {@code config} (its examples are pairs) and {@code loss}.
   *
   * @throws IllegalArgumentException for a batch-coupled loss type or a positive NLL weight
   */
  public DpDpoTrainer(DpSftConfig config, PreferenceLoss loss, TrainingListener... listeners) {
    this.config = Objects.requireNonNull(config, "config");
    this.loss = new PreferencePairLoss(loss);
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
      Args.check(reference.config().vocabSize() == policy.config().vocabSize(), "reference vocabulary ("
          + reference.config().vocabSize() + ") differs from the policy's (" + policy.config().vocabSize() + ")");
      Args.check(reference.contextLength() >= policy.contextLength(), "reference context ("
          + reference.contextLength() + ") is shorter than the policy's (" + policy.contextLength() + ")");
    }
    List<int[][]> sequences = encode(train, policy.tokenizer(), policy.contextLength());
    double[] refSums = new double[2 * sequences.size()];
    if (!referenceFree) {
      List<int[]> all = new ArrayList<>(refSums.length);
      sequences.forEach(s -> {
        all.add(s[0]);
        all.add(s[1]);
      });
      List<float[]> logProbs = reference.tokenLogProbs(all);
      for (int i = 0; i < refSums.length; i++) {
        int start = sequences.get(i / 2)[2][0];
        for (int t = start - 1; t < logProbs.get(i).length; t++) {
          refSums[i] += logProbs.get(i)[t];
        }
      }
    }
    List<PolicyPair> pairs = new ArrayList<>(sequences.size());
    for (int i = 0; i < sequences.size(); i++) {
      int[][] s = sequences.get(i);
      pairs.add(new PolicyPair(s[0], s[1], s[2][0], refSums[2 * i], refSums[2 * i + 1]));
    }
    int seqLen = pairs.stream().mapToInt(PolicyPair::inputLength).max().orElseThrow();
    String sha256 = Datasets.sha256(train, p -> p.id().length() + ":" + p.id() + p.prompt().length() + ":"
        + p.prompt() + p.chosen().length() + ":" + p.chosen() + p.rejected().length() + ":" + p.rejected());
    return DpRun.train(config, listeners, policy, Map.of(), loss, pairs, seqLen,
        new DpRun.TokenCounts<>(p -> p.chosen().length + p.rejected().length - 2,
            p -> p.chosenTokens() + p.rejectedTokens()), train.name(), sha256);
  }

  /** Each pair as {chosen, rejected, {responseStart}}. */
  private static List<int[][]> encode(Dataset<PreferencePair> data, Tokenizer tok, int context) {
    List<int[][]> out = new ArrayList<>();
    int truncated = 0;
    try (Stream<PreferencePair> s = data.stream()) {
      for (PreferencePair p : (Iterable<PreferencePair>) s::iterator) {
        int[] prompt = tok.encode(p.prompt());
        if (prompt.length + 2 > context) {
          throw new IllegalArgumentException("pair " + p.id() + " of " + data.name() + ": the prompt has "
              + prompt.length + " tokens, which with BOS leaves no room for a response in the context of "
              + context + " tokens");
        }
        int[] chosen = sequence(tok, prompt, tok.encode(p.chosen()));
        int[] rejected = sequence(tok, prompt, tok.encode(p.rejected()));
        if (chosen.length > context || rejected.length > context) {
          truncated++;
        }
        out.add(new int[][] {Arrays.copyOf(chosen, Math.min(chosen.length, context)),
            Arrays.copyOf(rejected, Math.min(rejected.length, context)), {1 + prompt.length}});
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("preference data set " + data.name() + " is empty");
    }
    if (truncated > 0) {
      LOG.warn("{}: {} of {} pairs were longer than the context of {} tokens; their responses were truncated",
          data.name(), truncated, out.size(), context);
    }
    return out;
  }

  private static int[] sequence(Tokenizer tok, int[] prompt, int[] response) {
    int[] s = new int[prompt.length + response.length + 2];
    s[0] = tok.bosId();
    System.arraycopy(prompt, 0, s, 1, prompt.length);
    System.arraycopy(response, 0, s, 1 + prompt.length, response.length);
    s[s.length - 1] = tok.eosId();
    return s;
  }
}
