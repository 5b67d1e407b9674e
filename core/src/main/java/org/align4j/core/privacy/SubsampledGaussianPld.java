package org.align4j.core.privacy;

import org.align4j.core.util.Args;
import org.align4j.core.util.StableMath;

/**
 * The privacy loss distribution of one step of the Poisson-subsampled Gaussian mechanism (sensitivity 1, noise
 * multiplier sigma, sample rate q), discretised pessimistically by the "connect the dots" rule (Doroshenko, Ghazi,
 * Kamath, Kumar and Manurangsi 2022): the probability of the outputs whose loss falls between two grid points is
 * split between those two points so that both its P- and its Q-probability are kept. The discrete pair dominates
 * the continuous one (its hockey-stick curve is the chord of the true convex curve between grid points), so every
 * composition of discretised distributions over-reports delta, never under-reports it, and the error does not
 * grow like steps times interval as it does when losses are merely rounded up.
 *
 * <p>Adjacency: {@link Adjacency#REMOVE} compares {@code P = (1-q) N(0, sigma^2) + q N(1, sigma^2)} with
 * {@code Q = N(0, sigma^2)}; {@link Adjacency#ADD} compares them the other way round. Truncated tails are moved
 * pessimistically: the lower one to the lowest grid point, the upper one to infinite loss.
 */
public final class SubsampledGaussianPld {

  /** The neighbouring relation a distribution describes. */
  public enum Adjacency {
    /** The data set of P holds one more example than that of Q. */
    REMOVE,
    /** The data set of P holds one example fewer than that of Q. */
    ADD
  }

  private SubsampledGaussianPld() {}

  /**
   * The discretised privacy loss distribution of one step.
   *
   * @param noiseMultiplier sigma, finite and {@code > 0}
   * @param sampleRate q in (0, 1]
   * @param adjacency remove or add
   * @param interval grid spacing of the loss, {@code > 0}; doubled until the grid has at most 2^22 points
   * @param tailMass probability of P left outside the grid (half on each side), in (0, 1)
   */
  public static PrivacyLossPmf pmf(
      double noiseMultiplier, double sampleRate, Adjacency adjacency, double interval, double tailMass) {
    double sigma = MechanismStep.checkNoiseMultiplier(noiseMultiplier);
    double q = MechanismStep.checkSampleRate(sampleRate);
    Args.positive("interval", interval);
    Args.finite("interval", interval);
    Args.inOpen("tailMass", tailMass, 0, 1);
    boolean remove = adjacency == Adjacency.REMOVE;
    double z = Erfc.normalUpperInverse(tailMass / 2);
    double lossLow;
    double lossHigh;
    if (remove) {
      lossLow = mixtureLogRatio(-sigma * z, sigma, q);
      lossHigh = mixtureLogRatio(1 + sigma * z, sigma, q);
    } else {
      lossLow = -mixtureLogRatio(sigma * z, sigma, q);
      lossHigh = -mixtureLogRatio(-sigma * z, sigma, q);
    }
    double step = interval;
    while ((lossHigh - lossLow) / step + 2 > PrivacyLossPmf.MAX_FFT) {
      step *= 2;
    }
    long lo = (long) Math.floor(lossLow / step);
    long hi = Math.max(lo + 1, (long) Math.ceil(lossHigh / step));
    return discretise(sigma, q, remove, step, lo, (int) (hi - lo + 1));
  }

  private static PrivacyLossPmf discretise(double sigma, double q, boolean remove, double step, long lo, int n) {
    double log1mQ = Math.log1p(-q);
    double logQ = Math.log(q);
    // standardised x of each grid loss under N(0, sigma^2) (a) and N(1, sigma^2) (b), with their tails
    double[] a = new double[n];
    double[] b = new double[n];
    double[] tailA = new double[n];
    double[] tailB = new double[n];
    for (int k = 0; k < n; k++) {
      double loss = (lo + k) * step;
      double x = sigma * sigma * logRatioInverse(remove ? loss : -loss, q, log1mQ, logQ) + 0.5;
      a[k] = x / sigma;
      b[k] = (x - 1) / sigma;
      tailA[k] = tail(a[k]);
      tailB[k] = tail(b[k]);
    }
    double[] masses = new double[n];
    double splitScale = -Math.expm1(-step);
    for (int k = 0; k + 1 < n; k++) {
      double loss = (lo + k) * step;
      double n0;
      double n1;
      if (remove) {
        n0 = between(a[k], tailA[k], a[k + 1], tailA[k + 1]);
        n1 = between(b[k], tailB[k], b[k + 1], tailB[k + 1]);
      } else {
        n0 = between(a[k + 1], tailA[k + 1], a[k], tailA[k]);
        n1 = between(b[k + 1], tailB[k + 1], b[k], tailB[k]);
      }
      double p;
      double excess; // P(bin) - exp(loss_k) Q(bin), at least 0 in exact arithmetic
      if (remove) {
        p = (1 - q) * n0 + q * n1;
        double c = q == 1 ? Math.exp(loss) : (1 - q) * Math.expm1(loss - log1mQ);
        excess = q * n1 - c * n0;
      } else {
        p = n0;
        double c = q == 1 ? 1 : -Math.expm1(loss + log1mQ);
        excess = c * n0 - q * Math.exp(loss) * n1;
      }
      if (!(p > 0)) {
        continue;
      }
      double right = Math.min(p, Math.max(0, excess / splitScale));
      masses[k] += p - right;
      masses[k + 1] += right;
    }
    double below;
    double above;
    if (remove) {
      below = (1 - q) * lowerTail(a[0]) + q * lowerTail(b[0]);
      above = (1 - q) * Erfc.normalUpper(a[n - 1]) + q * Erfc.normalUpper(b[n - 1]);
    } else {
      below = Erfc.normalUpper(a[0]);
      above = lowerTail(a[n - 1]);
    }
    masses[0] += below;
    return PrivacyLossPmf.of(step, lo, masses, Math.min(1, above));
  }

  /** {@code log((1-q) + q exp((2x-1)/(2 sigma^2)))}: the remove-adjacency loss at output x. */
  static double mixtureLogRatio(double x, double sigma, double q) {
    double u = Math.log(q) + (2 * x - 1) / (2 * sigma * sigma);
    double v = Math.log1p(-q);
    return StableMath.logAddExp(u, v);
  }

  /**
   * {@code g(l) = log((exp(l) - (1-q)) / q)}, so that the remove loss equals l at {@code x = sigma^2 g(l) + 1/2};
   * negative infinity where {@code exp(l) <= 1-q}.
   */
  private static double logRatioInverse(double loss, double q, double log1mQ, double logQ) {
    if (q == 1) {
      return loss;
    }
    double d = loss - log1mQ;
    if (!(d > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    double logExpm1 = d > 1 ? d + Math.log(-Math.expm1(-d)) : Math.log(Math.expm1(d));
    return log1mQ - logQ + logExpm1;
  }

  /** The smaller tail at z: {@code P(Z > z)} for z >= 0, {@code P(Z < z)} below. */
  private static double tail(double z) {
    return z >= 0 ? Erfc.normalUpper(z) : Erfc.normalLower(z);
  }

  private static double lowerTail(double z) {
    return Erfc.normalLower(z);
  }

  /** {@code P(za < Z <= zb)} for za <= zb from their {@link #tail} values. */
  private static double between(double za, double tailLo, double zb, double tailHi) {
    if (za >= 0) {
      return Math.max(0, tailLo - tailHi);
    }
    if (zb < 0) {
      return Math.max(0, tailHi - tailLo);
    }
    return Math.max(0, 1 - tailLo - tailHi);
  }
}
