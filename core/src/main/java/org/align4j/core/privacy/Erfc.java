package org.align4j.core.privacy;

/**
 * The complementary error function and the normal tails, in float64 with about 1e-15 relative accuracy over the
 * whole range (no underflow in log space). {@code erfcx(x) = exp(x^2) erfc(x)} for {@code x >= 0} is evaluated by
 * piecewise Chebyshev series on [0, 16] whose coefficients are computed once from slow, accurate evaluations (the
 * Taylor series of erf below 0.5, Laplace's continued fraction above), and by the asymptotic series beyond 16.
 */
final class Erfc {

  private static final double[] BREAKS = {0, 0.5, 1, 2, 4, 8, 16};
  private static final int NODES = 40;
  private static final double[][] CHEBYSHEV = new double[BREAKS.length - 1][];
  private static final double INV_SQRT_PI = 0.5641895835477563;
  private static final double INV_SQRT2 = 0.7071067811865476;
  private static final double LOG_HALF = Math.log(0.5);

  static {
    for (int k = 0; k < CHEBYSHEV.length; k++) {
      CHEBYSHEV[k] = chebyshev(BREAKS[k], BREAKS[k + 1]);
    }
  }

  private Erfc() {}

  /** {@code exp(x^2) erfc(x)} for {@code x >= 0}. */
  static double erfcx(double x) {
    if (x >= BREAKS[BREAKS.length - 1]) {
      return asymptotic(x);
    }
    int k = 0;
    while (x >= BREAKS[k + 1]) {
      k++;
    }
    double lo = BREAKS[k];
    double hi = BREAKS[k + 1];
    return clenshaw(CHEBYSHEV[k], (2 * x - lo - hi) / (hi - lo));
  }

  /** The complementary error function. */
  static double erfc(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x < 0) {
      return 2 - erfc(-x);
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 0;
    }
    return erfcx(x) * expMinusSquare(x);
  }

  /** {@code log(erfc(x))}, finite for every finite x. */
  static double logErfc(double x) {
    if (x < 0.5) {
      return Math.log(erfc(x));
    }
    return Math.log(erfcx(x)) - x * x;
  }

  /** The upper tail of the standard normal, {@code P(Z > z)}. */
  static double normalUpper(double z) {
    return 0.5 * erfc(z * INV_SQRT2);
  }

  /** {@code log P(Z > z)} of the standard normal, finite for every finite z. */
  static double logNormalUpper(double z) {
    return LOG_HALF + logErfc(z * INV_SQRT2);
  }

  /** {@code P(Z < z)} of the standard normal, accurate in the lower tail. */
  static double normalLower(double z) {
    return normalUpper(-z);
  }

  /** The z with {@code P(Z > z) = p} for p in (0, 1), by bisection (for set-up code, not inner loops). */
  static double normalUpperInverse(double p) {
    double lo = -40;
    double hi = 40;
    for (int k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); k++) {
      double mid = 0.5 * (lo + hi);
      if (normalUpper(mid) > p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** {@code P(a < Z <= b)} of the standard normal for {@code a <= b}, accurate in both tails. */
  static double normalMass(double a, double b) {
    if (a >= 0) {
      return normalUpper(a) - normalUpper(b);
    }
    if (b <= 0) {
      return normalUpper(-b) - normalUpper(-a);
    }
    return 1 - normalUpper(-a) - normalUpper(b);
  }

  /** {@code exp(-x^2)} with the rounding error of {@code x^2} corrected. */
  private static double expMinusSquare(double x) {
    double square = x * x;
    double error = Math.fma(x, x, -square);
    return Math.exp(-square) * (1 - error);
  }

  private static double asymptotic(double x) {
    // erfcx(x) ~ 1/(x sqrt(pi)) * sum_n (-1)^n (2n-1)!! / (2x^2)^n; at x >= 16 ten terms leave < 1e-17.
    double inv = 1 / (2 * x * x);
    double term = 1;
    double sum = 1;
    for (int n = 1; n <= 10; n++) {
      term *= -(2 * n - 1) * inv;
      sum += term;
    }
    return sum * INV_SQRT_PI / x;
  }

  private static double clenshaw(double[] c, double t) {
    double b1 = 0;
    double b2 = 0;
    for (int k = c.length - 1; k >= 1; k--) {
      double b0 = Math.fma(2 * t, b1, c[k] - b2);
      b2 = b1;
      b1 = b0;
    }
    return t * b1 - b2 + 0.5 * c[0];
  }

  /** Chebyshev interpolation coefficients of erfcx on [lo, hi], trailing ones at the noise floor dropped. */
  private static double[] chebyshev(double lo, double hi) {
    double[] values = new double[NODES];
    for (int k = 0; k < NODES; k++) {
      double t = Math.cos(Math.PI * (k + 0.5) / NODES);
      values[k] = slowErfcx(0.5 * (lo + hi) + 0.5 * (hi - lo) * t);
    }
    double[] c = new double[NODES];
    int last = 0;
    for (int j = 0; j < NODES; j++) {
      double sum = 0;
      for (int k = 0; k < NODES; k++) {
        // the angle pi j (k + 1/2) / N reduced modulo 2 pi exactly, in integers, to keep the cosine accurate
        int m = (j * (2 * k + 1)) % (4 * NODES);
        sum += values[k] * Math.cos(Math.PI * m / (2 * NODES));
      }
      c[j] = 2 * sum / NODES;
      if (Math.abs(c[j]) > 1e-16 * Math.abs(c[0])) {
        last = j;
      }
    }
    return java.util.Arrays.copyOf(c, last + 1);
  }

  /** Accurate but slow erfcx, used only to build the tables. */
  static double slowErfcx(double x) {
    if (x < 0.5) {
      // erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1))
      double x2 = x * x;
      double power = x;
      double sum = 0;
      for (int n = 0; n < 60; n++) {
        sum += power / (2 * n + 1);
        power *= -x2 / (n + 1);
      }
      return Math.exp(x2) * (1 - 2 * INV_SQRT_PI * sum);
    }
    // Laplace's continued fraction erfcx(x) sqrt(pi) = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated
    // backwards from the depth where its truncation error, about exp(-2 sqrt(2n) x), falls below 1e-19 (a deeper
    // start only accumulates rounding error).
    int depth = (int) Math.ceil(Math.pow(44 / (2 * Math.sqrt(2) * x), 2)) + 20;
    double t = x;
    for (int n = depth; n >= 1; n--) {
      t = x + 0.5 * n / t;
    }
    return INV_SQRT_PI / t;
  }
}
