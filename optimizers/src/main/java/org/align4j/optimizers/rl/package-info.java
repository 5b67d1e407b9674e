/**
 * The reinforcement-learning math of RLHF, independent of any model, in float64: per-token KL estimators and
 * token rewards, generalised advantage estimation, masked whitening, the clipped PPO policy and value losses,
 * entropy, KL controllers, and the group-based GRPO, RLOO and REINFORCE++ advantages. Batches are
 * {@code [B][T]} arrays, right-padded, with a mask that is 1 on response tokens. Conventions follow TRL and
 * OpenRLHF as documented on each class.
 */
package org.align4j.optimizers.rl;
