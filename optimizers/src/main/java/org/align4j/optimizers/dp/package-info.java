/**
 * Differentially private training (DP-SGD, Abadi et al. 2016) of the transformer: Poisson sampling
 * ({@link org.align4j.core.train.PoissonSampler}), per-example clipping in one hand-written pass per physical
 * batch, or by a loop of one-example micro-batches through the SameDiff graph (chosen by
 * {@link org.align4j.optimizers.dp.GradientPath}), flat or per-layer clipping, Gaussian noise, division by the
 * expected batch size and an AdamW update ({@link org.align4j.optimizers.dp.DpSgd}), and private next-token
 * training ({@link org.align4j.optimizers.dp.DpSftTrainer}) that reports its (epsilon, delta) through a privacy
 * accountant. Private reward-model training ({@link org.align4j.optimizers.dp.DpRewardTrainer}) and private DPO
 * ({@link org.align4j.optimizers.dp.DpDpoTrainer}) protect preference pairs: a pair's two sequences are one example
 * of two graph rows. Private PPO ({@link org.align4j.optimizers.dp.DpPpoTrainer}) protects prompts: a sampled
 * prompt's completions, made by the current policy at each step, are one example. Other trainers reuse the engine
 * by supplying a {@link org.align4j.optimizers.dp.PerExampleLoss}.
 *
 * <p>Users call the trainers, their configs and results, {@link org.align4j.optimizers.dp.ClippingMode},
 * {@link org.align4j.optimizers.dp.GradientPath} and {@link org.align4j.optimizers.dp.EpsilonPoint}. The step engine
 * ({@link org.align4j.optimizers.dp.DpSgd}, the per-example losses and their example records) is public for the
 * benchmarks that time one step; it is engine-level and will change as DP-SGD becomes a gradient step of the
 * training loop. The gradient paths and the sampler are package-private.
 */
package org.align4j.optimizers.dp;
