package org.align4j.core.privacy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-place iterative radix-2 complex FFT on separate real and imaginary float64 arrays. */
final class Fft {

  private static final Map<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();

  private Fft() {}

  /** The smallest power of two {@code >= n} (n at least 1 and at most 2^30). */
  static int size(long n) {
    if (n > (1 << 30)) {
      throw new IllegalArgumentException("FFT length must be <= 2^30, got " + n);
    }
    return Integer.highestOneBit((int) Math.max(1, n - 1)) << (n > 1 ? 1 : 0);
  }

  /** Forward transform {@code X_k = sum_j x_j exp(-2 pi i jk/n)}; n a power of two. */
  static void forward(double[] re, double[] im) {
    transform(re, im, false);
  }

  /** Inverse transform, scaled by 1/n. */
  static void inverse(double[] re, double[] im) {
    transform(re, im, true);
    double scale = 1.0 / re.length;
    for (int k = 0; k < re.length; k++) {
      re[k] *= scale;
      im[k] *= scale;
    }
  }

  private static void transform(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    if (n == 1) {
      return;
    }
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double[][] twiddle = TWIDDLES.computeIfAbsent(n, Fft::twiddles);
    double[] cos = twiddle[0];
    double[] sin = twiddle[1];
    double sign = inverse ? 1 : -1;
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int stride = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * stride];
          double wi = sign * sin[k * stride];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }

  /** cos and sin of 2 pi k / n for k below n/2, each angle computed directly (no accumulated recurrence). */
  private static double[][] twiddles(int n) {
    double[] cos = new double[n / 2];
    double[] sin = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      double angle = 2 * Math.PI * k / n;
      cos[k] = Math.cos(angle);
      sin[k] = Math.sin(angle);
    }
    return new double[][] {cos, sin};
  }
}
