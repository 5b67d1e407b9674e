package org.align4j.optimizers.rl;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.assertFinite;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad rollouts and hyperparameters fail clearly; extreme inputs stay finite; the missing-EOS penalty. */
class RlValidationTest {

  private static final double[][] LOGP = {{-1.0, -2.0, -0.5}, {-0.3, -0.7, -0.2}};
  private static final double[][] MASK = {{1, 1, 1}, {1, 1, 0}};

  @Test
  void missingEosPenaltyLowersTheScoreOnTheLastToken() {
    TokenRewards tr = TokenRewards.builder().klCoef(0.1).missingEosPenalty(1.5).build();
    double[] scores = {2.0, 3.0};
    TokenRewards.Result plain = tr.compute(LOGP, LOGP, MASK, scores);
    TokenRewards.Result penalised = tr.compute(LOGP, LOGP, MASK, scores, new boolean[] {true, false});
    assertClose("eos row", penalised.rewards()[0][2], plain.rewards()[0][2]);
    assertClose("no-eos row", penalised.rewards()[1][1], 3.0 - 1.5);
    assertClose("padding", penalised.rewards()[1][2], 0.0, 0, 0);
  }

  @Test
  void rejectsBadRollouts() {
    TokenRewards tr = TokenRewards.builder().build();
    assertThatThrownBy(() -> tr.compute(LOGP, LOGP, MASK, new double[] {1.0, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("scores[1] must be finite, got NaN");
    assertThatThrownBy(() -> tr.compute(LOGP, LOGP, MASK, new double[] {1.0, Double.POSITIVE_INFINITY}))
        .hasMessageContaining("scores[1] must be finite");
    assertThatThrownBy(() -> tr.compute(LOGP, LOGP, MASK, new double[] {1.0}))
        .hasMessage("scores has length 1, expected 2 (the rows of logprobs)");
    assertThatThrownBy(() -> tr.compute(new double[0][], new double[0][], new double[0][], new double[0]))
        .hasMessageContaining("empty rollout");
    assertThatThrownBy(() -> tr.compute(LOGP, LOGP, new double[][] {{1, 1, 1}, {0, 0, 0}}, new double[] {1, 2}))
        .hasMessage("empty rollout: row 1 of mask has no response tokens");
    assertThatThrownBy(() -> tr.compute(LOGP, new double[][] {{-1, -2}, {-1, -2}}, MASK, new double[] {1, 2}))
        .hasMessageContaining("refLogprobs[0] has length 2, expected 3");
    Gae gae = Gae.of(1.0, 0.95);
    assertThatThrownBy(() -> gae.computeMasked(new double[][] {{1, Double.NaN}}, new double[][] {{0, 0}},
        new double[][] {{1, 1}})).hasMessage("rewards[0][1] must be finite, got NaN");
    assertThatThrownBy(() -> gae.computeMasked(new double[][] {{1, 1}}, new double[][] {{0, 0}},
        new double[][] {{0, 1}})).hasMessageContaining("not right-padded");
    assertThatThrownBy(() -> gae.computeMasked(new double[][] {{1, 1}}, new double[][] {{0, 0}},
        new double[][] {{0, 0}})).hasMessageContaining("empty rollout");
    assertThatThrownBy(() -> Whitening.whiten(new double[][] {{1, 2}}, new double[][] {{1, 0}},
        Whitening.Convention.TRL, true)).hasMessageContaining("at least 2 tokens");
    assertThatThrownBy(() -> GroupAdvantages.grpo(new double[] {1, 2, 3}, 2, GroupAdvantages.Scaling.GROUP))
        .hasMessageContaining("not a multiple of groupSize 2");
    assertThatThrownBy(() -> GroupAdvantages.rloo(new double[] {1, Double.NaN}, 2))
        .hasMessage("rewards[1] must be finite, got NaN");
  }

  @Test
  void rejectsBadHyperparameters() {
    assertThatThrownBy(() -> Gae.of(1.1, 0.95)).hasMessage("gamma must be in [0.0, 1.0], got 1.1");
    assertThatThrownBy(() -> Gae.of(1.0, -0.1)).hasMessageContaining("lambda");
    assertThatThrownBy(() -> PolicyLoss.clipped(0)).hasMessageContaining("clipLow");
    assertThatThrownBy(() -> PolicyLoss.clipped(0.2).withDualClip(1.0)).hasMessage("dualClip must be > 1, got 1.0");
    assertThatThrownBy(() -> ValueLoss.clipped(-1)).hasMessageContaining("clipRange");
    assertThatThrownBy(() -> TokenRewards.builder().klCoef(-0.1).build()).hasMessageContaining("klCoef");
    assertThatThrownBy(() -> new AdaptiveKlController(0.2, 0, 10000)).hasMessage("target must be > 0, got 0.0");
    assertThatThrownBy(() -> new AdaptiveKlController(0.2, 6, 10000).update(Double.NaN, 1))
        .hasMessageContaining("observedKl");
  }

  @Test
  void extremeInputsStayFinite() {
    double[][] logp = {{0.0, -1e4}, {-1e4, 0.0}};
    double[][] old = {{-1e4, 0.0}, {0.0, -1e4}};
    double[][] adv = {{-2.0, 0.0}, {0.0, 3.0}};
    double[][] mask = {{1, 1}, {1, 1}};
    PolicyLoss.Result r = PolicyLoss.clipped(0.2).withDualClip(3).compute(logp, old, adv, mask);
    for (double[] row : r.perTokenLoss()) {
      assertFinite("policy loss", row);
    }
    assertClose("dual-clipped", r.perTokenLoss()[0][0], 6.0);
    TokenRewards.Result tr = TokenRewards.builder().estimator(KlEstimator.K3).build()
        .compute(logp, old, mask, new double[] {0, 0});
    assertFinite("k3 with a huge log-ratio", tr.kl()[1]);
    assertClose("k3 clamped", tr.kl()[0][1], 10.0);
    double[][][] logits = {{{1e4, -1e4, 0}, {0, 0, 0}}};
    assertClose("peaked entropy", Entropy.perToken(logits)[0][0], 0.0, 0, 1e-12);
    assertClose("uniform entropy", Entropy.perToken(logits)[0][1], Math.log(3));
  }
}
