package org.align4j.optimizers.preference;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.assertFinite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The SameDiff piece: its value equals the ND4J form and its gradient matches finite differences. */
class PreferenceLossSameDiffTest {

  static List<DpoReferenceCase> cases() {
    return DpoReferenceCase.all().stream().filter(c -> !c.loss().type().isBatchCoupled()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueEqualsNd4jFormAndGradientMatchesFiniteDifferences(DpoReferenceCase c) {
    checkAgainstFloat64(c.loss(), c.batch());
  }

  @Test
  void nllTermValueAndGradient() {
    DpoReferenceCase c = cases().get(0);
    PreferenceLoss loss = PreferenceLoss.builder().beta(c.loss().beta()).nllWeight(0.5).build();
    checkAgainstFloat64(loss, c.batch());
    checkAgainstFloat64(PreferenceLoss.builder().type(PreferenceLossType.IPO).referenceFree(true).build(),
        c.batch());
  }

  @Test
  void float32GraphEqualsFloat32Nd4jForm() {
    for (DpoReferenceCase c : cases()) {
      Graph g = graph(c.loss(), c.batch(), DataType.FLOAT);
      INDArray sd = g.sd.output(Map.of(), g.perExample.name()).get(g.perExample.name());
      INDArray nd = PreferenceLossReferenceTest.nd4j(c.loss(), c.batch(), DataType.FLOAT);
      assertThat(sd.dataType()).isEqualTo(DataType.FLOAT);
      assertClose(c + " float32 graph", sd.toDoubleVector(), nd.toDoubleVector(), 1e-6, 1e-6);
    }
  }

  @Test
  void policyEqualToReferenceGivesLn2AndHalfBetaGradient() {
    double beta = 0.1;
    double[] logps = {-12.5, -3.25, -40.0};
    PreferenceBatch b = new PreferenceBatch(logps, logps, logps, logps, new int[] {5, 2, 9}, new int[] {5, 2, 9});
    PreferenceLoss dpo = PreferenceLoss.builder().beta(beta).build();
    Graph g = graph(dpo, b, DataType.DOUBLE);
    Map<String, INDArray> grads = g.sd.calculateGradients(Map.of(), "pc", "pr");
    assertClose("loss", g.sd.output(Map.of(), g.mean.name()).get(g.mean.name()).getDouble(0), Math.log(2));
    for (int i = 0; i < 3; i++) {
      assertClose("dL/dpc", grads.get("pc").getDouble(i), -beta / 2 / 3);
      assertClose("dL/dpr", grads.get("pr").getDouble(i), beta / 2 / 3);
    }
  }

  @Test
  void gradientIsFiniteAtExtremeMargins() {
    double[] zero = {0, 0};
    PreferenceBatch b = new PreferenceBatch(new double[] {0, -1e4}, new double[] {-1e4, 0}, zero, zero,
        new int[] {3, 3}, new int[] {3, 3});
    for (PreferenceLossType type : PreferenceLossType.values()) {
      if (type.isBatchCoupled()) {
        continue;
      }
      PreferenceLoss loss = StabilityCases.loss(type, 1.0);
      Graph g = graph(loss, b, DataType.DOUBLE);
      Map<String, INDArray> grads = g.sd.calculateGradients(Map.of(), "pc", "pr");
      assertFinite(type + " value", g.sd.output(Map.of(), g.perExample.name()).get(g.perExample.name())
          .toDoubleVector());
      assertFinite(type + " dpc", grads.get("pc").toDoubleVector());
      assertFinite(type + " dpr", grads.get("pr").toDoubleVector());
    }
    Graph g = graph(PreferenceLoss.builder().beta(1.0).build(), b, DataType.DOUBLE);
    Map<String, INDArray> grads = g.sd.calculateGradients(Map.of(), "pc");
    assertClose("saturated", grads.get("pc").getDouble(0), 0.0);
    assertClose("linear regime", grads.get("pc").getDouble(1), -0.5);
  }

  @Test
  void aotHasNoSameDiffForm() {
    DpoReferenceCase c = DpoReferenceCase.all().stream()
        .filter(x -> x.loss().type() == PreferenceLossType.AOT).findFirst().orElseThrow();
    assertThatThrownBy(() -> graph(c.loss(), c.batch(), DataType.DOUBLE))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("AOT");
  }

  private static void checkAgainstFloat64(PreferenceLoss loss, PreferenceBatch b) {
    Graph g = graph(loss, b, DataType.DOUBLE);
    Map<String, INDArray> out = g.sd.output(Map.of(), g.perExample.name(), g.mean.name());
    INDArray nd = loss.perExample(Nd4j.createFromArray(b.policyChosen()), Nd4j.createFromArray(b.policyRejected()),
        Nd4j.createFromArray(b.referenceChosen()), Nd4j.createFromArray(b.referenceRejected()),
        Nd4j.createFromArray(b.chosenTokens()), Nd4j.createFromArray(b.rejectedTokens()));
    assertClose(loss + " graph vs nd4j", out.get(g.perExample.name()).toDoubleVector(), nd.toDoubleVector(),
        1e-12, 1e-12);
    assertClose(loss + " graph mean", out.get(g.mean.name()).getDouble(0), loss.mean(b));

    Map<String, INDArray> grads = g.sd.calculateGradients(Map.of(), "pc", "pr");
    double[] gpc = grads.get("pc").toDoubleVector();
    double[] gpr = grads.get("pr").toDoubleVector();
    for (int i = 0; i < b.size(); i++) {
      assertClose(loss + " dL/dpc[" + i + "]", gpc[i],
          centralDifference(b.policyChosen(), i, x -> loss.mean(withPolicy(b, x, b.policyRejected()))), 1e-6, 1e-8);
      assertClose(loss + " dL/dpr[" + i + "]", gpr[i],
          centralDifference(b.policyRejected(), i, x -> loss.mean(withPolicy(b, b.policyChosen(), x))), 1e-6, 1e-8);
    }
  }

  private static double centralDifference(double[] x, int i, ToDoubleFunction<double[]> f) {
    double h = 1e-7 * Math.max(1.0, Math.abs(x[i]));
    double[] up = x.clone();
    double[] down = x.clone();
    up[i] += h;
    down[i] -= h;
    return (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
  }

  private static PreferenceBatch withPolicy(PreferenceBatch b, double[] pc, double[] pr) {
    return new PreferenceBatch(pc, pr, b.referenceChosen(), b.referenceRejected(), b.chosenTokens(),
        b.rejectedTokens());
  }

  private record Graph(SameDiff sd, SDVariable perExample, SDVariable mean) {}

  private static Graph graph(PreferenceLoss loss, PreferenceBatch b, DataType dt) {
    SameDiff sd = SameDiff.create();
    SDVariable pc = sd.var("pc", Nd4j.createFromArray(b.policyChosen()).castTo(dt));
    SDVariable pr = sd.var("pr", Nd4j.createFromArray(b.policyRejected()).castTo(dt));
    SDVariable rc = sd.constant("rc", Nd4j.createFromArray(b.referenceChosen()).castTo(dt));
    SDVariable rr = sd.constant("rr", Nd4j.createFromArray(b.referenceRejected()).castTo(dt));
    SDVariable lc = sd.constant("lc", Nd4j.createFromArray(b.chosenTokens()));
    SDVariable lr = sd.constant("lr", Nd4j.createFromArray(b.rejectedTokens()));
    SDVariable per = loss.perExample(sd, pc, pr, rc, rr, lc, lr);
    SDVariable mean = per.mean();
    sd.setLossVariables(mean);
    return new Graph(sd, per, mean);
  }
}
