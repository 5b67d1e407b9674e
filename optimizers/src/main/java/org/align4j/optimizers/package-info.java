/**
 * Optimisation of language models against preferences and rewards: the DPO family of preference losses
 * ({@link org.align4j.optimizers.preference}) and the reinforcement-learning math of PPO, GRPO, RLOO and
 * REINFORCE++ ({@link org.align4j.optimizers.rl}).
 */
package org.align4j.optimizers;
