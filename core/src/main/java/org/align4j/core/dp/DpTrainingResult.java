package org.align4j.core.dp;

import java.util.List;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.PrivacyAccountant;
import org.align4j.core.train.StepMetrics;

/**
 * The outcome of a differentially private training run.
 *
 * @param model the trained model, with provenance recording the data, seed and steps
 * @param epsilon the epsilon spent, at {@code delta} (infinite for a non-private run)
 * @param delta the delta of the guarantee
 * @param steps DP-SGD steps taken (empty batches included); with several updates per sampled batch (PPO epochs),
 *     the sampled batches
 * @param noiseMultiplier the sigma of every noisy gradient (calibrated when a target epsilon was given); with k
 *     updates per sampled batch the accountant records each batch as one step of {@code sigma / sqrt(k)}
 * @param sampleRate the q used
 * @param accountant the accountant holding the run's history (save it with {@code accountant.save(path)})
 * @param privacyHistory the accountant's history: (sigma, q, steps) entries
 * @param epsilons epsilon after the reported steps
 * @param finalLoss mean per-example training loss over the last non-empty batches (up to 10)
 * @param history every step's metrics (loss: the batch's mean per-example loss, NaN for an empty batch;
 *     gradient norm: the mean per-example norm before clipping)
 * @param gradientPath the per-example gradient path used (BACKPROP or LOOP)
 * @param clippedFraction the fraction of all example gradients that clipping scaled down
 */
public record DpTrainingResult(
    TransformerLm model, double epsilon, double delta, long steps, double noiseMultiplier, double sampleRate,
    PrivacyAccountant accountant, List<MechanismStep> privacyHistory, List<EpsilonPoint> epsilons,
    double finalLoss, List<StepMetrics> history, GradientPath gradientPath, double clippedFraction) {

  /** Copies the lists. */
  public DpTrainingResult {
    privacyHistory = List.copyOf(privacyHistory);
    epsilons = List.copyOf(epsilons);
    history = List.copyOf(history);
  }

  /** The mean throughput of the steps (input tokens per second, steps without a measurable one skipped), or NaN. */
  public double tokensPerSecond() {
    return history.stream().mapToDouble(StepMetrics::tokensPerSecond).filter(Double::isFinite).average()
        .orElse(Double.NaN);
  }
}
