package org.align4j.optimizers.preference;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.doubles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every loss of every batch in rlhf_vectors.json, in the float64 and ND4J forms, plus intermediates and metrics. */
class PreferenceLossReferenceTest {

  static List<DpoReferenceCase> cases() {
    return DpoReferenceCase.all();
  }

  @Test
  void vectorsCoverEveryLossType() {
    Set<PreferenceLossType> covered = EnumSet.noneOf(PreferenceLossType.class);
    cases().forEach(c -> covered.add(c.loss().type()));
    assertThat(covered).containsExactlyInAnyOrder(PreferenceLossType.values());
    assertThat(cases()).hasSize(2 * 16);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void float64MatchesVectors(DpoReferenceCase c) {
    assertClose(c + " per_example", c.loss().perExample(c.batch()), c.perExample());
    assertClose(c + " mean", c.loss().mean(c.batch()), c.mean());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nd4jFloat64MatchesVectors(DpoReferenceCase c) {
    INDArray out = nd4j(c.loss(), c.batch(), DataType.DOUBLE);
    assertThat(out.dataType()).isEqualTo(DataType.DOUBLE);
    assertClose(c + " nd4j per_example", out.toDoubleVector(), c.perExample());
    assertClose(c + " nd4j mean", out.meanNumber().doubleValue(), c.mean());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nd4jFloat32MatchesFloat64Form(DpoReferenceCase c) {
    INDArray out = nd4j(c.loss(), c.batch(), DataType.FLOAT);
    assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
    // The float32 form against the float64 form on the same (float32-rounded) inputs: the implementation's error.
    double[] expected = c.loss().perExample(rounded(c.batch()));
    assertClose(c + " float32", out.toDoubleVector(), expected, 1e-5, 1e-6);
    // And against the vectors, where input rounding adds up to about |logp| * 6e-8 per input.
    assertClose(c + " float32 vs vectors", out.toDoubleVector(), c.perExample(), 1e-4, 1e-5);
  }

  @Test
  void intermediatesAndMetricsMatchVectors() {
    for (JsonNode b : RlhfVectors.root().get("dpo").get("batches")) {
      PreferenceBatch batch = DpoReferenceCase.batch(b);
      PreferenceLoss loss = PreferenceLoss.builder().beta(b.get("beta").asDouble()).build();
      PreferenceTerms t = loss.terms(batch);
      JsonNode in = b.get("intermediates");
      assertClose("chosen_logratios", t.chosenLogRatios(), doubles(in.get("chosen_logratios")));
      assertClose("rejected_logratios", t.rejectedLogRatios(), doubles(in.get("rejected_logratios")));
      assertClose("delta", t.delta(), doubles(in.get("delta")));
      assertClose("ipo_length_normalized_delta", t.lengthNormalizedDelta(),
          doubles(in.get("ipo_length_normalized_delta")));
      assertClose("chosen_rewards", t.chosenRewards(), doubles(in.get("chosen_rewards")));
      assertClose("rejected_rewards", t.rejectedRewards(), doubles(in.get("rejected_rewards")));
      DpoMetrics m = loss.metrics(batch);
      JsonNode em = b.get("metrics");
      assertClose("rewards/chosen", m.rewardsChosen(), em.get("rewards/chosen").asDouble());
      assertClose("rewards/rejected", m.rewardsRejected(), em.get("rewards/rejected").asDouble());
      assertClose("rewards/accuracies", m.accuracy(), em.get("rewards/accuracies").asDouble());
      assertClose("rewards/margins", m.margin(), em.get("rewards/margins").asDouble());
      assertClose("logps/chosen", m.logpsChosen(), em.get("logps/chosen").asDouble());
      assertClose("logps/rejected", m.logpsRejected(), em.get("logps/rejected").asDouble());
    }
  }

  static INDArray nd4j(PreferenceLoss loss, PreferenceBatch b, DataType dt) {
    return loss.perExample(Nd4j.createFromArray(b.policyChosen()).castTo(dt),
        Nd4j.createFromArray(b.policyRejected()).castTo(dt), Nd4j.createFromArray(b.referenceChosen()).castTo(dt),
        Nd4j.createFromArray(b.referenceRejected()).castTo(dt), Nd4j.createFromArray(b.chosenTokens()),
        Nd4j.createFromArray(b.rejectedTokens()));
  }

  /** The batch with its log-probabilities rounded to float32. */
  static PreferenceBatch rounded(PreferenceBatch b) {
    return new PreferenceBatch(round(b.policyChosen()), round(b.policyRejected()), round(b.referenceChosen()),
        round(b.referenceRejected()), b.chosenTokens(), b.rejectedTokens());
  }

  private static double[] round(double[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }
}
