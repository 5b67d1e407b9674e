package org.align4j.core.train;

/**
 * What one optimisation step measured.
 *
 * @param step 1-based step number
 * @param totalSteps the planned number of steps
 * @param loss the batch loss (mean negative log-likelihood per loss token for SFT)
 * @param learningRate the learning rate used
 * @param gradientNorm the global gradient norm before clipping
 * @param tokens loss tokens in the batch
 * @param tokensPerSecond throughput of this step (all input tokens, padding excluded)
 * @param elapsedSeconds wall time since training started
 */
public record StepMetrics(
    long step, long totalSteps, double loss, double learningRate, double gradientNorm, long tokens,
    double tokensPerSecond, double elapsedSeconds) {}
