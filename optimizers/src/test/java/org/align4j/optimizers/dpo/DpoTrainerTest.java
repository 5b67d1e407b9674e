package org.align4j.optimizers.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.optimizers.preference.DpoMetrics;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.preference.PreferenceLossType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The first step, reproducibility and the reference-free path of {@link DpoTrainer} on tiny models. */
class DpoTrainerTest {

  @Test
  void firstLossIsLn2AndLogProbsCoverResponsesOnlyWhenPolicyEqualsReference() {
    TransformerLm policy = TinyModels.perturbed(PreferenceTasks.CONTEXT, 3, 0.2);
    TransformerLm reference = policy.copy();
    Dataset<PreferencePair> data = PreferenceTasks.pairs("train", 6, 1);
    DpoConfig config = DpoConfig.builder().batchSize(6).maxSteps(1).build();
    DpoResult result = new DpoTrainer(config).train(policy, reference, data, null);

    DpoStepMetrics first = result.history().get(0);
    assertThat(first.step().loss()).isCloseTo(Math.log(2), within(1e-6));
    DpoMetrics m = first.preference();
    assertThat(m.margin()).isCloseTo(0, within(1e-6));
    assertThat(m.rewardsChosen()).isCloseTo(0, within(1e-6));
    // The graph's masked sums equal a slow sum over the response and EOS positions of the reference's scores.
    assertThat(m.logpsChosen()).isCloseTo(meanResponseLogProb(reference, data, true), within(1e-4));
    assertThat(m.logpsRejected()).isCloseTo(meanResponseLogProb(reference, data, false), within(1e-4));
    assertThat(m.logpsChosen()).isNotCloseTo(m.logpsRejected(), within(1e-3));
    assertThat(first.step().tokens()).isEqualTo(6 * (6 + 6));
    assertThat(result.truncatedPairs()).isZero();
    assertThat(result.referenceFromCache()).isFalse();
  }

  @Test
  void sameSeedGivesTheSameWeights() {
    Dataset<PreferencePair> data = PreferenceTasks.pairs("train", 8, 3);
    TransformerLm a = run(data, 7);
    TransformerLm b = run(data, 7);
    assertSameWeights(a.weights(), b.weights());
    assertThat(a.weights().get("tok_emb")).isNotEqualTo(PreferenceTasks.model(11).weights().get("tok_emb"));
    assertThat(a.provenance().dataSha256()).isEqualTo(b.provenance().dataSha256());
  }

  @Test
  void theStageIsAppendedAfterTheEarlierOnesWhichAreKept() {
    TrainingStage sft = TrainingStage.of("sft", "corpus", "c".repeat(64), Map.of("batchSize", "4"), 30, 1);
    TransformerLm policy = PreferenceTasks.model(2);
    policy = policy.withProvenance(policy.provenance().withStage(sft));
    Dataset<PreferencePair> data = PreferenceTasks.pairs("train", 4, 3);
    DpoConfig config = DpoConfig.builder().batchSize(4).maxSteps(2).seed(5)
        .loss(PreferenceLoss.builder().type(PreferenceLossType.IPO).beta(0.5).build()).build();
    TransformerLm trained = new DpoTrainer(config).train(policy, policy.copy(), data, null).model();
    List<TrainingStage> history = trained.provenance().history();
    assertThat(history).hasSize(2);
    assertThat(history.get(0)).isEqualTo(sft);
    assertThat(history.get(1).kind()).isEqualTo("ipo");
    assertThat(history.get(1).dataName()).isEqualTo("train");
    assertThat(history.get(1).dataFingerprint()).isEqualTo(DataFingerprint.ofPairs(data));
    assertThat(history.get(1).steps()).isEqualTo(2);
    assertThat(history.get(1).seed()).isEqualTo(5);
    assertThat(history.get(1).settings()).containsEntry("batchSize", "4").containsKey("loss");
    assertThat(history.get(1).isPrivate()).isFalse();
    assertThat(trained.provenance().steps()).isEqualTo(32);
  }

  @Test
  void trainsReferenceFreeWithoutAReferenceModel() {
    DpoConfig config = DpoConfig.builder().batchSize(4).maxSteps(1)
        .loss(PreferenceLoss.builder().referenceFree(true).build()).build();
    DpoResult result = new DpoTrainer(config).train(PreferenceTasks.model(1), null,
        PreferenceTasks.pairs("t", 4, 1), null);
    DpoMetrics m = result.history().get(0).preference();
    assertThat(m.rewardsChosen()).isCloseTo(0.1 * m.logpsChosen(), within(1e-9));
    assertThat(m.logpsChosen()).isLessThan(-1);
  }

  private static TransformerLm run(Dataset<PreferencePair> data, long seed) {
    DpoConfig config = DpoConfig.builder().batchSize(2).maxSteps(1).learningRate(1e-2).seed(seed).build();
    return new DpoTrainer(config).train(PreferenceTasks.model(11), data).model();
  }

  static void assertSameWeights(TransformerWeights actual, TransformerWeights expected) {
    for (Map.Entry<String, INDArray> e : expected.asMap().entrySet()) {
      assertThat(actual.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** The mean over pairs of the summed log-probability of the response tokens and EOS, position by position. */
  private static double meanResponseLogProb(TransformerLm model, Dataset<PreferencePair> data, boolean chosen) {
    Tokenizer tok = model.tokenizer();
    double total = 0;
    List<PreferencePair> pairs = data.toList();
    for (PreferencePair p : pairs) {
      int[] prompt = tok.encode(p.prompt());
      int[] response = tok.encode(chosen ? p.chosen() : p.rejected());
      int[] s = new int[prompt.length + response.length + 2];
      s[0] = tok.bosId();
      System.arraycopy(prompt, 0, s, 1, prompt.length);
      System.arraycopy(response, 0, s, 1 + prompt.length, response.length);
      s[s.length - 1] = tok.eosId();
      float[] lp = model.tokenLogProbs(List.of(s)).get(0);
      for (int t = 1 + prompt.length; t < s.length; t++) {
        total += lp[t - 1];
      }
    }
    return total / pairs.size();
  }
}
