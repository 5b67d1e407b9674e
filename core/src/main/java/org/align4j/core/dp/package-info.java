/**
 * DP-SGD (Abadi et al. 2016) for the transformer: Poisson sampling ({@link org.align4j.core.train.PoissonSampler}),
 * per-example gradients ({@link org.align4j.core.dp.PerExampleGradients}: one hand-written pass per physical batch,
 * or a loop of one-example micro-batches through the SameDiff graph, chosen by
 * {@link org.align4j.core.dp.GradientPath}), flat or per-layer clipping, Gaussian noise and division by the expected
 * batch size ({@link org.align4j.core.dp.DpSgd}), run on the {@link org.align4j.core.train.TrainingLoop} with a
 * privacy accountant by {@link org.align4j.core.dp.DpRun}, which reports (epsilon, delta) and appends the stage to
 * the model's history. A trainer brings its objective as a {@link org.align4j.core.dp.PerExampleLoss}
 * ({@link org.align4j.core.dp.SequenceNllLoss} for next-token training; the reward, DPO and PPO losses live beside
 * their trainers). Trainers reach it through their privacy settings: {@link org.align4j.core.train.SftTrainer}
 * with {@link org.align4j.core.train.SftConfig#privacy()} trains privately.
 *
 * <p>The same objective serves plain training: {@link org.align4j.core.dp.BatchGradients} differentiates its batch
 * loss ({@link org.align4j.core.dp.PerExampleLoss#batchLoss}) on the hand-written passes, or through the SameDiff
 * graph for architectures they do not implement, so each objective is written once.
 *
 * <p>The step engine ({@link org.align4j.core.dp.DpSgd}, {@link org.align4j.core.dp.PerExampleClipping}) is public
 * for the benchmarks that time one step and for the trainers of other modules; the gradient paths and the
 * fixed-size sampler are package-private.
 */
package org.align4j.core.dp;
