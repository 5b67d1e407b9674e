/**
 * Reinforcement learning from a reward model: {@link org.align4j.optimizers.ppo.PpoTrainer} (PPO with a value
 * head and GAE, or the critic-free GRPO and RLOO) configured by {@link org.align4j.optimizers.ppo.PpoConfig},
 * with {@link org.align4j.optimizers.ppo.PpoSession} for running rollouts and PPO epochs one at a time. The
 * formulas come from {@link org.align4j.optimizers.rl}.
 */
package org.align4j.optimizers.ppo;
