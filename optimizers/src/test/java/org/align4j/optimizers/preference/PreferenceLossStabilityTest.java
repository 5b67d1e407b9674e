package org.align4j.optimizers.preference;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.assertFinite;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Extreme margins, empty completions, reference-free use, the NLL term and algebraic identities. */
class PreferenceLossStabilityTest {

  /** Pairs with βΔ = +50, -50, 0, +1e4, -1e4 at β = 0.1 (cl = ±Δ/2, rl = ∓Δ/2). */
  private static PreferenceBatch extremes() {
    double[] margins = {500, -500, 0, 1e5, -1e5};
    int n = margins.length;
    double[] pc = new double[n];
    double[] pr = new double[n];
    for (int i = 0; i < n; i++) {
      pc[i] = -1e5 + margins[i] / 2;
      pr[i] = -1e5 - margins[i] / 2;
    }
    double[] ref = new double[n];
    Arrays.fill(ref, -1e5);
    return new PreferenceBatch(pc, pr, ref, ref, new int[] {1, 7, 3, 1, 0}, new int[] {2, 1, 3, 0, 4});
  }

  @ParameterizedTest
  @EnumSource(PreferenceLossType.class)
  void everyFormIsFiniteAtExtremeMargins(PreferenceLossType type) {
    PreferenceLoss loss = StabilityCases.loss(type, 0.1);
    PreferenceBatch b = extremes();
    double[] f64 = loss.perExample(b);
    assertFinite(type + " float64", f64);
    assertFinite(type + " nd4j float64", PreferenceLossReferenceTest.nd4j(loss, b, DataType.DOUBLE).toDoubleVector());
    double[] f32 = PreferenceLossReferenceTest.nd4j(loss, b, DataType.FLOAT).toDoubleVector();
    assertFinite(type + " nd4j float32", f32);
    // The inputs are integers below 2^24, exact in float32, so float32 and float64 see the same pairs.
    assertClose(type + " float32 vs float64", f32, loss.perExample(PreferenceLossReferenceTest.rounded(b)), 1e-5,
        1e-5);
  }

  @Test
  void sigmoidHasTheRightAsymptotes() {
    double[] l = PreferenceLoss.builder().beta(0.1).build().perExample(extremes());
    assertClose("z=+50", l[0], Math.log1p(Math.exp(-50)), 1e-12, 0);
    assertClose("z=-50", l[1], 50 + Math.log1p(Math.exp(-50)), 1e-15, 0);
    assertClose("z=0", l[2], Math.log(2), 1e-15, 0);
    assertClose("z=+1e4", l[3], 0.0, 0, 0);
    assertClose("z=-1e4", l[4], 1e4, 1e-15, 0);
    double[] disco = StabilityCases.loss(PreferenceLossType.DISCOPOP, 0.1).perExample(extremes());
    assertClose("discopop z=-1e4", disco[4], 1e4, 1e-12, 0);
    assertClose("discopop z=+1e4", disco[3], 0.0, 0, 0);
  }

  @Test
  void zeroTokenCompletionIsTreatedAsOneToken() {
    double[] pc = {-3.0, 0.0};
    double[] pr = {0.0, -4.0};
    double[] ref = {-2.0, -1.0};
    PreferenceBatch empty = new PreferenceBatch(pc, pr, ref, ref, new int[] {4, 0}, new int[] {0, 5});
    PreferenceBatch one = new PreferenceBatch(pc, pr, ref, ref, new int[] {4, 1}, new int[] {1, 5});
    for (PreferenceLossType type : new PreferenceLossType[] {PreferenceLossType.IPO,
        PreferenceLossType.SIGMOID_NORM}) {
      PreferenceLoss loss = StabilityCases.loss(type, 0.1);
      double[] expected = loss.perExample(one);
      assertClose(type + " empty completion", loss.perExample(empty), expected);
      assertClose(type + " nd4j empty completion",
          PreferenceLossReferenceTest.nd4j(loss, empty, DataType.FLOAT).toDoubleVector(), expected, 1e-5, 1e-6);
    }
  }

  @ParameterizedTest
  @EnumSource(PreferenceLossType.class)
  void referenceFreeIgnoresTheReference(PreferenceLossType type) {
    DpoReferenceCase c = DpoReferenceCase.all().get(0);
    PreferenceBatch b = c.batch();
    PreferenceLoss base = StabilityCases.loss(type, 0.1);
    PreferenceLoss free = PreferenceLoss.builder().type(type).beta(0.1).labelSmoothing(base.labelSmoothing())
        .referenceFree(true).build();
    PreferenceBatch zeroRef = PreferenceBatch.referenceFree(b.policyChosen(), b.policyRejected(), b.chosenTokens(),
        b.rejectedTokens());
    assertClose(type + " reference-free", free.perExample(b), base.perExample(zeroRef));
    assertClose(type + " reference-free nd4j", free.perExample(
        Nd4j.createFromArray(b.policyChosen()),
        Nd4j.createFromArray(b.policyRejected()), null, null,
        Nd4j.createFromArray(b.chosenTokens()),
        Nd4j.createFromArray(b.rejectedTokens())).toDoubleVector(),
        base.perExample(zeroRef));
    assertClose(type + " metrics", free.metrics(b).rewardsChosen(), base.metrics(zeroRef).rewardsChosen());
  }

  @Test
  void nllTermAddsTheTokenMeanChosenNll() {
    PreferenceBatch b = DpoReferenceCase.all().get(0).batch();
    double weight = 0.7;
    double sumLogp = 0;
    double tokens = 0;
    for (int i = 0; i < b.size(); i++) {
      sumLogp += b.policyChosen()[i];
      tokens += b.chosenTokens()[i];
    }
    double[] dpo = PreferenceLoss.builder().beta(0.1).build().perExample(b);
    double[] withNll = PreferenceLoss.builder().beta(0.1).nllWeight(weight).build().perExample(b);
    for (int i = 0; i < b.size(); i++) {
      assertClose("nll[" + i + "]", withNll[i], dpo[i] - weight * sumLogp / tokens);
    }
  }

  @Test
  void robustIsAnUnbiasedDenoisingOfSigmoid() {
    PreferenceBatch b = DpoReferenceCase.all().get(0).batch();
    PreferenceBatch swapped = new PreferenceBatch(b.policyRejected(), b.policyChosen(), b.referenceRejected(),
        b.referenceChosen(), b.rejectedTokens(), b.chosenTokens());
    double eps = 0.2;
    PreferenceLoss robust = PreferenceLoss.builder().type(PreferenceLossType.ROBUST).labelSmoothing(eps).build();
    double[] forward = robust.perExample(b);
    double[] backward = robust.perExample(swapped);
    double[] sigmoid = PreferenceLoss.builder().build().perExample(b);
    for (int i = 0; i < b.size(); i++) {
      assertClose("identity[" + i + "]", (1 - eps) * forward[i] + eps * backward[i], sigmoid[i]);
    }
  }
}
