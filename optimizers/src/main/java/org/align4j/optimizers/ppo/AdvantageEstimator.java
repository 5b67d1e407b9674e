package org.align4j.optimizers.ppo;

/** How {@link PpoTrainer} turns rewards into advantages. */
public enum AdvantageEstimator {
  /**
   * Generalised advantage estimation with a value head on the policy's trunk, trained by the clipped value loss;
   * advantages whitened over the batch (PPO as in TRL and OpenRLHF).
   */
  GAE,
  /**
   * GRPO: several completions per prompt, each completion's advantage its KL-penalised reward normalised within
   * its group; no value head.
   */
  GRPO,
  /**
   * RLOO: several completions per prompt, each completion's advantage its KL-penalised reward minus the mean of
   * the other completions of its prompt; no value head.
   */
  RLOO;

  /** Whether this estimator trains a value head. */
  public boolean usesValueHead() {
    return this == GAE;
  }

  /** The kind of training stage this estimator makes, as a model's history records it: ppo, grpo or rloo. */
  public String stageKind() {
    return this == GAE ? "ppo" : name().toLowerCase(java.util.Locale.ROOT);
  }
}
