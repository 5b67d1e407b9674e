package org.align4j.optimizers.dp;

import java.util.Objects;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.util.Args;
import org.align4j.optimizers.ppo.AdvantageEstimator;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.rl.FixedKlController;
import org.align4j.optimizers.rl.GroupAdvantages;

/**
 * Settings of differentially private PPO ({@link DpPpoTrainer}): the DP-SGD settings, whose examples are prompts,
 * the PPO settings of the rollouts and the loss, and the number of DP-SGD updates on each sampled batch.
 *
 * <p>From {@code ppo} private PPO uses the rollout and loss settings: samples per prompt, response length,
 * temperature, the (fixed) KL coefficient and estimator, the missing-EOS penalty, the advantage estimator (GAE's
 * gamma and lambda, GRPO's scaling), the clip ranges, the value and entropy coefficients. Its optimisation settings
 * are {@code dp}'s, so {@code ppo}'s must keep their defaults (a changed one is refused, never silently ignored):
 * {@code iterations} (dp's steps or epochs decide), {@code batchSize} (dp's sampling), {@code ppoEpochs} (this
 * record's {@code epochsPerBatch}), {@code optimizer} (dp's optimizer; dp's clip norm C bounds each prompt's
 * gradient) and {@code seed} (dp's seed drives sampling, rollouts and noise). Settings whose non-private meaning
 * reads a statistic of the whole batch are refused: whitened rewards, GRPO scaled by the batch's standard
 * deviation, an adaptive KL coefficient (it follows the batch's KL without noise), early stopping on the
 * approximate KL (a finite {@code targetKl}) and several minibatches.
 *
 * @param dp the DP-SGD settings over prompts: sigma or a target epsilon, q or an expected batch size (in prompts),
 *     steps (sampled batches) or epochs, C, delta, AdamW and its schedule, gradient path, accountant, seed
 * @param ppo the PPO settings of the rollouts and the loss
 * @param epochsPerBatch DP-SGD updates on each sampled batch's rollouts, {@code >= 1}; 1 is what the privacy
 *     analysis of private PPO assumes (Wu et al. 2023). More is accounted exactly (see {@link DpPpoTrainer}) and
 *     logged as a warning: every extra update spends privacy without fresh sampling.
 */
public record DpPpoConfig(DpSgdConfig dp, PpoConfig ppo, int epochsPerBatch) {

  /** Validates; every message names the parameter and the rejected value. */
  public DpPpoConfig {
    Objects.requireNonNull(dp, "dp");
    Objects.requireNonNull(ppo, "ppo");
    Args.positive("epochsPerBatch", epochsPerBatch);
    Args.check(ppo.miniBatches() == 1,
        "miniBatches must be 1 for private PPO (each sampled batch is one DP-SGD update), got %s", ppo.miniBatches());
    Args.check(!ppo.whitenRewards(),
        "whitenRewards must be false for private PPO (whitening couples the rollouts of a batch), got true");
    Args.check(ppo.advantageEstimator() != AdvantageEstimator.GRPO
        || ppo.grpoScaling() != GroupAdvantages.Scaling.BATCH, "grpoScaling must be GROUP or NONE for private PPO "
        + "(BATCH divides by the whole batch's standard deviation), got BATCH");
    Args.check(ppo.klController() instanceof FixedKlController,
        "klController must be fixed for private PPO (an adaptive coefficient follows the sampled prompts' KL without "
            + "noise), got %s", ppo.klController());
    Args.check(ppo.targetKl() == Double.POSITIVE_INFINITY,
        "targetKl must be infinite for private PPO (early stopping reads the batch's KL without noise), got %s",
        ppo.targetKl());
    PpoConfig defaults = PpoConfig.builder().build();
    unused("iterations", ppo.iterations(), defaults.iterations(), "dp's steps or epochs set the run's length");
    unused("batchSize", ppo.batchSize(), defaults.batchSize(), "dp's sampling draws each batch of prompts");
    unused("ppoEpochs", ppo.ppoEpochs(), defaults.ppoEpochs(), "epochsPerBatch sets the updates on each batch");
    unused("optimizer", ppo.optimizer(), defaults.optimizer(),
        "dp's optimizer settings train, and dp's clip norm bounds each prompt's gradient");
    unused("seed", ppo.seed(), defaults.seed(), "dp's seed drives sampling, rollouts and noise");
  }

  private static void unused(String name, Object value, Object defaultValue, String why) {
    if (!value.equals(defaultValue)) {
      throw new IllegalArgumentException("ppo." + name + " " + value + " is not used by private PPO (" + why
          + "); leave it at its default " + defaultValue);
    }
  }

  /** One DP-SGD update per sampled batch, as the privacy analysis of private PPO assumes. */
  public DpPpoConfig(DpSgdConfig dp, PpoConfig ppo) {
    this(dp, ppo, 1);
  }
}
