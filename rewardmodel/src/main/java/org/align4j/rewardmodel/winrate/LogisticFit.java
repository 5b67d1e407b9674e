package org.align4j.rewardmodel.winrate;

import org.align4j.core.util.Args;
import org.align4j.core.util.StableMath;

/**
 * Logistic regression of a preference {@code y} in [0, 1] (soft labels allowed: a tie is 0.5) on one covariate
 * {@code x}: {@code P(y = 1) = sigmoid(a + b x)}, fitted by Newton's method with step halving on the cross-entropy
 * plus {@code ridge / 2 * b^2}. The ridge acts on the slope only, so that the fit exists when the covariate
 * separates the labels, and so that with {@code x} all zero the intercept alone reproduces the mean label.
 */
final class LogisticFit {

  static final int MAX_ITERATIONS = 200;

  private LogisticFit() {}

  /**
   * Fits {@code (a, b)}.
   *
   * @param y labels in [0, 1], not all 0 and not all 1 (then no intercept is finite)
   * @param x covariates, finite, as many
   * @param ridge the slope's L2 penalty, > 0
   */
  static double[] fit(double[] y, double[] x, double ridge) {
    int n = y.length;
    Args.check(n > 0 && x.length == n, "y and x must be non-empty and of the same length");
    Args.positive("ridge", ridge);
    double a = 0;
    double b = 0;
    double loss = loss(y, x, a, b, ridge);
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double ga = 0;
      double gb = ridge * b;
      double haa = 0;
      double hab = 0;
      double hbb = ridge;
      for (int i = 0; i < n; i++) {
        double p = StableMath.sigmoid(a + b * x[i]);
        double w = p * (1 - p);
        ga += p - y[i];
        gb += (p - y[i]) * x[i];
        haa += w;
        hab += w * x[i];
        hbb += w * x[i] * x[i];
      }
      double det = haa * hbb - hab * hab;
      double da;
      double db;
      if (det > 1e-300 && haa > 0) {
        da = (hbb * ga - hab * gb) / det;
        db = (haa * gb - hab * ga) / det;
      } else {
        da = ga / Math.max(haa, 1e-12);
        db = gb / hbb;
      }
      double step = 1;
      double next = loss(y, x, a - da, b - db, ridge);
      while (next > loss && step > 1e-10) {
        step /= 2;
        next = loss(y, x, a - step * da, b - step * db, ridge);
      }
      if (next > loss) {
        break;
      }
      a -= step * da;
      b -= step * db;
      boolean converged = Math.abs(step * da) < 1e-12 * (1 + Math.abs(a))
          && Math.abs(step * db) < 1e-12 * (1 + Math.abs(b));
      loss = next;
      if (converged) {
        break;
      }
    }
    return new double[] {a, b};
  }

  /** The penalised summed cross-entropy, with log(1 + e^z) computed stably. */
  static double loss(double[] y, double[] x, double a, double b, double ridge) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double z = a + b * x[i];
      sum += StableMath.softplus(z) - y[i] * z;
    }
    return sum + ridge / 2 * b * b;
  }
}
