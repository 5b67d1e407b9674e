package org.align4j.memorization.stats;

import org.align4j.core.util.Args;

/**
 * The skew-normal distribution (Azzalini 1985) with location {@code xi}, scale {@code omega} and shape
 * {@code alpha}: density {@code 2/omega phi(z) Phi(alpha z)} with {@code z = (x - xi) / omega}. Fitted by the
 * method of moments; its distribution function is integrated in log space so that extreme lower tails (the
 * exposure of a well-memorized canary) stay finite.
 *
 * @param location xi
 * @param scale omega (> 0)
 * @param shape alpha
 */
public record SkewNormal(double location, double scale, double shape) {

  /** The largest skewness a skew-normal distribution reaches is about 0.9953; fits clamp to this. */
  static final double MAX_SKEWNESS = 0.99;

  /** Validates. */
  public SkewNormal {
    Args.finite("location", location);
    Args.positive("scale", scale);
    Args.finite("shape", shape);
  }

  /**
   * Fits by the method of moments (sample mean, variance and skewness; the skewness clamped to +-0.99).
   *
   * @throws IllegalArgumentException with fewer than 3 values or zero variance
   */
  public static SkewNormal fit(double[] values) {
    Args.check(values.length >= 3, "a skew-normal fit needs at least 3 values, got %s", values.length);
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double m2 = 0;
    double m3 = 0;
    for (double v : values) {
      double d = v - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
    m2 /= values.length;
    m3 /= values.length;
    Args.check(m2 > 0, "a skew-normal fit needs values that are not all equal");
    double skew = Math.max(-MAX_SKEWNESS, Math.min(MAX_SKEWNESS, m3 / Math.pow(m2, 1.5)));
    double g = Math.pow(Math.abs(skew), 2.0 / 3.0);
    double delta = Math.signum(skew) * Math.sqrt(Math.PI / 2 * g / (g + Math.pow((4 - Math.PI) / 2, 2.0 / 3.0)));
    double alpha = delta / Math.sqrt(1 - delta * delta);
    double sd = Math.sqrt(m2 * values.length / (values.length - 1.0));
    double omega = sd / Math.sqrt(1 - 2 * delta * delta / Math.PI);
    double xi = mean - omega * delta * Math.sqrt(2 / Math.PI);
    return new SkewNormal(xi, omega, alpha);
  }

  /** The distribution function at {@code x}. */
  public double cdf(double x) {
    return Math.exp(logCdf(x));
  }

  /**
   * log P(X <= x), by Simpson's rule over the log-density: from -40 for values near the bulk, over a window
   * scaled to the density's decay rate in the far lower tail.
   */
  public double logCdf(double x) {
    double z = (x - location) / scale;
    double lower;
    int steps;
    if (z > -8) {
      lower = Math.min(-40, z - 1);
      steps = 8000;
    } else {
      double rate = Math.abs(z) * (shape > 0 ? 1 + shape * shape : 1);
      lower = z - 60 / rate;
      steps = 2000;
    }
    double h = (z - lower) / steps;
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double t = lower + i * h;
      double weight = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
      terms[i] = Math.log(weight) + Math.log(2) + NormalMath.logPdf(t) + NormalMath.logCdf(shape * t);
      max = Math.max(max, terms[i]);
    }
    double sum = 0;
    for (double term : terms) {
      sum += Math.exp(term - max);
    }
    return Math.min(0, max + Math.log(sum) + Math.log(h / 3));
  }
}
