package org.align4j.optimizers.rl;

import static org.align4j.optimizers.preference.RlhfVectors.assertClose;
import static org.align4j.optimizers.preference.RlhfVectors.doubles;
import static org.align4j.optimizers.preference.RlhfVectors.matrix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.align4j.optimizers.preference.RlhfVectors;
import org.junit.jupiter.api.Test;

/** GAE, token rewards, policy and value losses, entropy and the KL controller against rlhf_vectors.json. */
class RlReferenceTest {

  private static final JsonNode ROOT = RlhfVectors.root();

  @Test
  void gaeWithDones() {
    int checked = 0;
    for (JsonNode c : ROOT.get("gae")) {
      if (!c.get("kind").asText().equals("dones")) {
        continue;
      }
      JsonNode in = c.get("inputs");
      Gae.Advantages a = Gae.of(c.get("gamma").asDouble(), c.get("lambda").asDouble()).compute(
          new double[][] {doubles(in.get("rewards"))}, new double[][] {doubles(in.get("values"))},
          new double[][] {doubles(in.get("dones"))}, new double[] {in.get("last_value").asDouble()});
      assertClose(c.get("id") + " advantages", a.advantages()[0], doubles(c.get("advantages")));
      assertClose(c.get("id") + " returns", a.returns()[0], doubles(c.get("returns")));
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void gaeMaskedWithWhitening() {
    int checked = 0;
    for (JsonNode c : ROOT.get("gae")) {
      if (!c.get("kind").asText().equals("masked_rlhf")) {
        continue;
      }
      JsonNode in = c.get("inputs");
      double[][] rewards = matrix(in.get("rewards"));
      double[][] values = matrix(in.get("values"));
      double[][] mask = matrix(in.get("mask"));
      Gae gae = Gae.of(c.get("gamma").asDouble(), c.get("lambda").asDouble());
      Gae.Advantages a = gae.computeMasked(rewards, values, mask);
      assertClose("advantages", a.advantages(), matrix(c.get("advantages")));
      assertClose("returns", a.returns(), matrix(c.get("returns")));
      assertClose("whitened trl", Whitening.whiten(a.advantages(), mask, Whitening.Convention.TRL, true),
          matrix(c.get("advantages_whitened_trl")));
      assertClose("whitened openrlhf", Whitening.whiten(a.advantages(), mask, Whitening.Convention.OPENRLHF, true),
          matrix(c.get("advantages_whitened_openrlhf")));

      int b = rewards.length;
      int t = rewards[0].length;
      double[] adv = new double[b * t];
      double[] ret = new double[b * t];
      gae.computeMasked(flat(rewards), flat(values), flat(mask), b, t, adv, ret);
      assertClose("flat advantages", adv, flat(matrix(c.get("advantages"))));
      assertClose("flat returns", ret, flat(matrix(c.get("returns"))));
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void tokenRewardsForEachEstimator() {
    for (JsonNode c : ROOT.get("ppo_token_rewards")) {
      JsonNode in = c.get("inputs");
      c.get("by_estimator").fields().forEachRemaining(e -> {
        KlEstimator estimator = KlEstimator.valueOf(e.getKey().toUpperCase(Locale.ROOT));
        TokenRewards.Result r = TokenRewards.builder().klCoef(c.get("kl_coef").asDouble()).estimator(estimator)
            .build().compute(matrix(in.get("logprobs")), matrix(in.get("ref_logprobs")), matrix(in.get("mask")),
                doubles(in.get("scores")));
        assertClose(e.getKey() + " kl", r.kl(), matrix(e.getValue().get("kl")));
        assertClose(e.getKey() + " rewards", r.rewards(), matrix(e.getValue().get("rewards")));
        assertClose(e.getKey() + " mean_seq_kl", r.meanSequenceKl(), e.getValue().get("mean_seq_kl").asDouble());
      });
      assertThat(c.get("by_estimator").size()).isEqualTo(3);
    }
  }

  @Test
  void policyLossVariants() {
    for (JsonNode c : ROOT.get("ppo_policy_loss")) {
      JsonNode in = c.get("inputs");
      double[][] logp = matrix(in.get("logprobs"));
      double[][] old = matrix(in.get("old_logprobs"));
      double[][] adv = matrix(in.get("advantages"));
      double[][] mask = matrix(in.get("mask"));
      checkPolicy(c.get("policy_clip_0.2"), PolicyLoss.clipped(0.2).compute(logp, old, adv, mask));
      checkPolicy(c.get("policy_clip_low0.2_high0.28"), PolicyLoss.clipped(0.2, 0.28).compute(logp, old, adv, mask));
      checkPolicy(c.get("policy_dual_clip_3.0"),
          PolicyLoss.clipped(0.2).withDualClip(3.0).compute(logp, old, adv, mask));

      JsonNode v = c.get("value");
      ValueLoss.Result vl = ValueLoss.clipped(v.get("cliprange_value").asDouble()).compute(matrix(v.get("values")),
          matrix(v.get("old_values")), matrix(v.get("returns")), mask);
      assertClose("vf_loss", vl.loss(), v.get("vf_loss").asDouble());
      assertClose("vf_clipfrac", vl.clipFraction(), v.get("vf_clipfrac").asDouble());

      JsonNode h = c.get("entropy");
      double[][][] logits = new double[h.get("logits").size()][][];
      for (int b = 0; b < logits.length; b++) {
        logits[b] = matrix(h.get("logits").get(b));
      }
      assertClose("per_token_entropy", Entropy.perToken(logits), matrix(h.get("per_token_entropy")));
      assertClose("masked_mean_entropy", Entropy.maskedMean(logits, mask), h.get("masked_mean_entropy").asDouble());
    }
  }

  @Test
  void adaptiveKlController() {
    JsonNode c = ROOT.get("adaptive_kl_controller");
    KlController controller = new AdaptiveKlController(c.get("init_kl_coef").asDouble(), c.get("target").asDouble(),
        c.get("horizon").asDouble());
    double[] observed = doubles(c.get("observed_kl"));
    double[] expected = doubles(c.get("kl_coef_after_each_update"));
    for (int i = 0; i < observed.length; i++) {
      controller = controller.update(observed[i], c.get("n_steps_per_update").asLong());
      assertClose("kl_coef after update " + i, controller.coefficient(), expected[i]);
    }
    KlController fixed = new FixedKlController(0.05);
    assertThat(fixed.update(100.0, 256).coefficient()).isEqualTo(0.05);
  }

  private static void checkPolicy(JsonNode e, PolicyLoss.Result r) {
    assertClose("ratio", r.ratio(), matrix(e.get("ratio")));
    assertClose("per_token_loss", r.perTokenLoss(), matrix(e.get("per_token_loss")));
    assertClose("loss_token_mean", r.tokenMeanLoss(), e.get("loss_token_mean").asDouble());
    assertClose("loss_seq_mean", r.sequenceMeanLoss(), e.get("loss_seq_mean").asDouble());
    assertClose("clipfrac", r.clipFraction(), e.get("clipfrac").asDouble());
    assertClose("approxkl_trl", r.approxKl(), e.get("approxkl_trl").asDouble());
    assertClose("policykl_openrlhf", r.policyKl(), e.get("policykl_openrlhf").asDouble());
  }

  static double[] flat(double[][] x) {
    int t = x[0].length;
    double[] out = new double[x.length * t];
    for (int b = 0; b < x.length; b++) {
      System.arraycopy(x[b], 0, out, b * t, t);
    }
    return out;
  }
}
