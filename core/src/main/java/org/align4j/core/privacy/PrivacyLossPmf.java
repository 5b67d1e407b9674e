package org.align4j.core.privacy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * A discrete privacy loss distribution: the distribution of the privacy loss {@code log(P(o)/Q(o))} for o drawn
 * from P, on the grid {@code (offset + i) * interval}, with {@code infinityMass} at +infinity (outputs that Q
 * cannot produce, and truncated upper tails). Its hockey-stick curve is
 * {@code delta(eps) = infinityMass + sum_i mass_i (1 - exp(eps - loss_i))_+}. Immutable.
 */
public final class PrivacyLossPmf {

  /** Compositions never use FFTs longer than this (the interval is doubled instead). */
  static final int MAX_FFT = 1 << 22;
  private static final int MGF_LAMBDAS = 64;

  private final double interval;
  private final long offset;
  private final double[] masses;
  private final double infinityMass;

  /**
   * A distribution from its parts.
   *
   * @param interval grid spacing of the loss, {@code > 0}
   * @param offset grid index of {@code masses[0]}
   * @param masses probabilities (non-negative), copied
   * @param infinityMass probability of infinite loss, in [0, 1]
   */
  public PrivacyLossPmf(double interval, long offset, double[] masses, double infinityMass) {
    this(Args.positive("interval", interval), offset, checkMasses(masses).clone(),
        Args.inClosed("infinityMass", infinityMass, 0, 1), true);
  }

  private PrivacyLossPmf(double interval, long offset, double[] masses, double infinityMass, boolean trusted) {
    this.interval = interval;
    this.offset = offset;
    this.masses = masses;
    this.infinityMass = infinityMass;
  }

  static PrivacyLossPmf of(double interval, long offset, double[] masses, double infinityMass) {
    return new PrivacyLossPmf(interval, offset, masses, infinityMass, true);
  }

  /** The grid spacing. */
  public double interval() {
    return interval;
  }

  /** The grid index of the first mass. */
  public long offset() {
    return offset;
  }

  /** The number of grid points. */
  public int size() {
    return masses.length;
  }

  /** The probability at grid point {@code i} (loss {@code (offset + i) * interval}). */
  public double mass(int i) {
    return masses[i];
  }

  /** The probability of infinite loss. */
  public double infinityMass() {
    return infinityMass;
  }

  /** The total finite probability. */
  public double finiteMass() {
    double sum = 0;
    for (double m : masses) {
      sum += m;
    }
    return sum;
  }

  /** The hockey-stick divergence {@code delta(epsilon)}, for any finite epsilon. */
  public double delta(double epsilon) {
    Args.finite("epsilon", epsilon);
    double sum = 0;
    for (int i = masses.length - 1; i >= 0; i--) {
      double loss = (offset + i) * interval;
      if (loss <= epsilon) {
        break;
      }
      sum -= masses[i] * Math.expm1(epsilon - loss);
    }
    return Math.min(1, infinityMass + sum);
  }

  /**
   * The smallest epsilon {@code >= 0} with {@code delta(epsilon) <= delta}; infinite when the infinity mass alone
   * exceeds delta. Exact for this discrete distribution (solved within the grid interval).
   */
  public double epsilon(double delta) {
    Args.inOpen("delta", delta, 0, 1);
    if (infinityMass > delta) {
      return Double.POSITIVE_INFINITY;
    }
    // Walk down from the top: with S_A = sum_{i>j} m_i and S_B = sum_{i>j} m_i exp(l_j - l_i),
    // delta(l_j) = infinityMass + S_A - S_B, and on [l_j, l_{j+1}) delta(eps) = inf + S_A - exp(eps - l_j) S_B.
    double decay = Math.exp(-interval);
    double sumA = 0;
    double sumB = 0;
    for (int j = masses.length - 1; j >= 0; j--) {
      double lossJ = (offset + j) * interval;
      double deltaJ = infinityMass + sumA - sumB;
      if (deltaJ > delta) {
        // the answer lies in [l_j, l_{j+1}): solve inf + S_A - exp(eps - l_j) S_B = delta
        double eps = lossJ + Math.log((infinityMass + sumA - delta) / sumB);
        return Math.max(0, Math.min(eps, lossJ + interval));
      }
      if (lossJ <= 0) {
        return 0;
      }
      sumA += masses[j];
      sumB = decay * (sumB + masses[j]);
    }
    // below the lowest grid point every mass counts: delta(eps) = inf + S_A - exp(eps - l_{-1}) S_B
    double excess = infinityMass + sumA - delta;
    if (excess <= 0 || sumB <= 0) {
      return 0;
    }
    return Math.max(0, (offset - 1) * interval + Math.log(excess / sumB));
  }

  /** The composition with {@code other} (losses add), with tail truncation {@code tailMass} (pessimistic). */
  public PrivacyLossPmf convolve(PrivacyLossPmf other, double tailMass) {
    return compose(List.of(this, other), new long[] {1, 1}, tailMass);
  }

  /** The {@code times}-fold composition with itself, with tail truncation {@code tailMass} (pessimistic). */
  public PrivacyLossPmf selfCompose(long times, double tailMass) {
    return compose(List.of(this), new long[] {times}, tailMass);
  }

  /**
   * The composition of {@code times[e]} copies of each {@code pmfs[e]} (all on the same interval), computed in
   * one Fourier domain: each distribution is transformed once, raised to its power by repeated squaring, the
   * transforms multiplied and transformed back once. The window of the result is chosen by Chernoff bounds (from
   * the moment generating functions) so that at most {@code tailMass / 2} lies above it and at most
   * {@code tailMass / 2} below. Pessimistic: the bound on the mass above the window is added to the infinity
   * mass; mass below wraps into the window at higher losses. If the window needs an FFT longer than 2^22, the
   * distributions are coarsened (losses rounded up to a doubled interval) until it fits.
   */
  public static PrivacyLossPmf compose(List<PrivacyLossPmf> pmfs, long[] times, double tailMass) {
    Objects.requireNonNull(pmfs, "pmfs");
    Args.check(!pmfs.isEmpty() && pmfs.size() == times.length,
        "pmfs and times must be non-empty and of equal length, got %s and %s", pmfs.size(), times.length);
    Args.inOpen("tailMass", tailMass, 0, 1);
    double interval = pmfs.get(0).interval;
    for (int e = 0; e < pmfs.size(); e++) {
      Args.check(pmfs.get(e).interval == interval, "all pmfs must share one interval");
      Args.nonNegative("times", times[e]);
    }
    while (true) {
      long[] window = window(pmfs, times, tailMass);
      long width = window[1] - window[0] + 1;
      if (width <= MAX_FFT) {
        return composeInWindow(pmfs, times, window[0], (int) width, tailMass);
      }
      pmfs = pmfs.stream().map(PrivacyLossPmf::coarsened).toList();
    }
  }

  /** This distribution on the doubled interval, each loss rounded up to the coarser grid (pessimistic). */
  PrivacyLossPmf coarsened() {
    long newOffset = Math.floorDiv(offset + 1, 2);
    long last = Math.floorDiv(offset + masses.length, 2);
    double[] coarse = new double[(int) (last - newOffset + 1)];
    for (int i = 0; i < masses.length; i++) {
      coarse[(int) (Math.floorDiv(offset + i + 1, 2) - newOffset)] += masses[i];
    }
    return of(2 * interval, newOffset, coarse, infinityMass);
  }

  private static PrivacyLossPmf composeInWindow(
      List<PrivacyLossPmf> pmfs, long[] times, long windowStart, int width, double tailMass) {
    int n = Fft.size(width);
    double[] accRe = new double[n];
    double[] accIm = new double[n];
    Arrays.fill(accRe, 1);
    double[] re = new double[n];
    double[] im = new double[n];
    long base = 0;
    double logFinite = 0;
    for (int e = 0; e < pmfs.size(); e++) {
      PrivacyLossPmf pmf = pmfs.get(e);
      long t = times[e];
      if (t == 0) {
        continue;
      }
      base += t * pmf.offset;
      logFinite += t * Math.log1p(-pmf.infinityMass);
      Arrays.fill(re, 0);
      Arrays.fill(im, 0);
      for (int i = 0; i < pmf.masses.length; i++) {
        re[i % n] += pmf.masses[i];
      }
      Fft.forward(re, im);
      for (int k = 0; k < n; k++) {
        // (re + i im)^t by repeated squaring, multiplied into the accumulator
        double zr = re[k];
        double zi = im[k];
        double pr = 1;
        double pi = 0;
        long power = t;
        while (true) {
          if ((power & 1) != 0) {
            double r = pr * zr - pi * zi;
            pi = pr * zi + pi * zr;
            pr = r;
          }
          power >>= 1;
          if (power == 0) {
            break;
          }
          double r = zr * zr - zi * zi;
          zi = 2 * zr * zi;
          zr = r;
        }
        double ar = accRe[k];
        accRe[k] = ar * pr - accIm[k] * pi;
        accIm[k] = ar * pi + accIm[k] * pr;
      }
    }
    Fft.inverse(accRe, accIm);
    double[] out = new double[width];
    int shift = (int) Math.floorMod(windowStart - base, (long) n);
    for (int i = 0; i < width; i++) {
      out[i] = Math.max(0, accRe[(shift + i) % n]);
    }
    double infinity = -Math.expm1(logFinite) + tailMass / 2;
    return of(pmfs.get(0).interval, windowStart, out, Math.min(1, infinity));
  }

  /** Grid indices [lo, hi] holding all but tailMass/2 on each side of the composition (Chernoff bounds). */
  private static long[] window(List<PrivacyLossPmf> pmfs, long[] times, double tailMass) {
    long supportLo = 0;
    long supportHi = 0;
    for (int e = 0; e < pmfs.size(); e++) {
      supportLo += times[e] * pmfs.get(e).offset;
      supportHi += times[e] * (pmfs.get(e).offset + pmfs.get(e).masses.length - 1);
    }
    double logTail = Math.log(tailMass / 2);
    double interval = pmfs.get(0).interval;
    double hi = Double.POSITIVE_INFINITY;
    double lo = Double.NEGATIVE_INFINITY;
    double scale = interval;
    for (PrivacyLossPmf pmf : pmfs) {
      scale = Math.max(scale, pmf.spread());
    }
    for (int k = 0; k < MGF_LAMBDAS; k++) {
      // lambdas from 1e-4 to 1e4 over the per-step loss scale
      double lambda = Math.pow(10, -4 + 8.0 * k / (MGF_LAMBDAS - 1)) / scale;
      double upLog = 0;
      double downLog = 0;
      for (int e = 0; e < pmfs.size(); e++) {
        if (times[e] > 0) {
          upLog += times[e] * pmfs.get(e).logMgf(lambda);
          downLog += times[e] * pmfs.get(e).logMgf(-lambda);
        }
      }
      hi = Math.min(hi, (upLog - logTail) / lambda);
      lo = Math.max(lo, -(downLog - logTail) / lambda);
    }
    long hiIndex = Double.isFinite(hi) ? (long) Math.min(supportHi, Math.ceil(hi / interval)) : supportHi;
    long loIndex = Double.isFinite(lo) ? (long) Math.max(supportLo, Math.floor(lo / interval)) : supportLo;
    hiIndex = Math.max(hiIndex, Math.min(loIndex, supportHi));
    return new long[] {Math.max(loIndex, supportLo), Math.max(hiIndex, supportLo)};
  }

  /**
   * {@code log sum_i mass_i exp(lambda loss_i)} over the finite part, by Horner's rule in powers of
   * {@code exp(-|lambda| interval)} from the end that dominates (no overflow, one multiply-add per point).
   */
  double logMgf(double lambda) {
    double ratio = Math.exp(-Math.abs(lambda) * interval);
    double acc = 0;
    int n = masses.length;
    for (int k = 0; k < n; k++) {
      acc = acc * ratio + masses[lambda >= 0 ? k : n - 1 - k];
    }
    long anchor = lambda >= 0 ? offset + n - 1 : offset;
    return lambda * anchor * interval + Math.log(acc);
  }

  /** The standard deviation of the finite part (at least one interval), a scale for the Chernoff search. */
  private double spread() {
    double total = 0;
    double mean = 0;
    for (int i = 0; i < masses.length; i++) {
      total += masses[i];
      mean += masses[i] * (offset + i) * interval;
    }
    if (total <= 0) {
      return interval;
    }
    mean /= total;
    double var = 0;
    for (int i = 0; i < masses.length; i++) {
      double d = (offset + i) * interval - mean;
      var += masses[i] * d * d;
    }
    return Math.max(interval, Math.sqrt(var / total));
  }

  private static double[] checkMasses(double[] masses) {
    Objects.requireNonNull(masses, "masses");
    for (double m : masses) {
      Args.check(m >= 0 && Double.isFinite(m), "masses must be finite and >= 0, got %s", m);
    }
    return masses;
  }

  @Override
  public String toString() {
    return "PrivacyLossPmf[interval=" + interval + ", offset=" + offset + ", size=" + masses.length
        + ", infinityMass=" + infinityMass + "]";
  }
}
