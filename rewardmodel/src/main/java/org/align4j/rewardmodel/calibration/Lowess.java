package org.align4j.rewardmodel.calibration;

import org.align4j.core.util.Args;

/**
 * LOWESS (locally weighted scatterplot smoothing, Cleveland 1979) with the semantics of statsmodels'
 * {@code lowess} and R's {@code lowess}: at each x a linear fit weighted by the tricube kernel over the
 * {@code k = max(2, min(n, floor(frac * n + 1e-10)))} nearest points (statsmodels' rule; R's
 * {@code (int)(f * n + 1e-7)} differs only when {@code frac * n} is within 1e-7 below an integer), then
 * {@code iterations} robustifying passes that multiply the kernel by bisquare weights of the residuals scaled by
 * {@code 6 * median|residual|} (statsmodels' weights {@code (1 - u^2)^2} with {@code u} clipped at 1, without R's
 * cut-offs at 0.001 and 0.999), and {@code delta}: after a fit at x, points within {@code delta} of x are skipped
 * and get the linear interpolation between the surrounding fits. Points with equal x share one fit.
 *
 * <p>The robustifying passes stop early by R's rule ({@code clowess}): once
 * {@code 6 * median|residual| < 1e-7 * mean|residual|}, or the median is 0, the current fit is the result
 * (a relative test: the same for y in any unit). statsmodels never stops early: with a zero median it gives
 * weight 0 to every nonzero residual and goes on; the two differ only where the fit reproduces more than half of
 * the points (nearly) exactly.
 *
 * <p>The fit is exact (no approximation beyond {@code delta}) and fast on data with many ties: the points are
 * grouped by distinct x and each local regression runs over the groups, with precomputed polynomial moments of
 * a tree of blocks of groups replacing most of the per-group work: O(n) expected to sort (buckets, with a radix
 * sort for uneven x), then per pass O(n + distinct * log(distinct)). When {@code delta} leaves few fits, the windows
 * are summed group by group instead (fewer operations than the tree's moments). Every pass runs over the points in
 * ascending x, with few fresh arrays and short, often-called loops: a single call in a fresh JVM (class loading,
 * interpreter, compilation and first-touch memory included) is what {@code calibrate} pays once per file.
 * {@link NaiveLowess} is the straightforward O(n * k) implementation of the same semantics.
 *
 * <p>Degenerate windows (documented deviations from statsmodels, which returns {@code y[i]} or NaN there): when at
 * least k points share the x being fitted (the window has radius 0, e.g. when all x are equal) the fit is the
 * robustness-weighted mean of y over the points with that x; when fewer than two points of the window have a
 * positive weight the fit is the robustness-weighted mean of y over the points with that x (their plain mean when
 * all their robustness weights are 0). Instances are immutable and thread-safe.
 */
public final class Lowess {

  /** statsmodels' default fraction of points in each local regression. */
  public static final double DEFAULT_FRAC = 2.0 / 3.0;
  /** statsmodels' and R's default number of robustifying iterations. */
  public static final int DEFAULT_ITERATIONS = 3;

  private final double frac;
  private final int iterations;
  private final double delta;

  private Lowess(Builder builder) {
    this.frac = builder.frac;
    this.iterations = builder.iterations;
    this.delta = builder.delta;
  }

  /** A builder with statsmodels' defaults: frac 2/3, 3 iterations, delta 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** LOWESS with statsmodels' defaults. */
  public static Lowess defaults() {
    return builder().build();
  }

  /** The fraction of points used in each local regression, in (0, 1]. */
  public double frac() {
    return frac;
  }

  /** The number of robustifying iterations, {@code >= 0}. */
  public int iterations() {
    return iterations;
  }

  /** The distance within which fits are interpolated instead of computed, {@code >= 0}. */
  public double delta() {
    return delta;
  }

  /** The number of nearest points in each local regression for {@code n} points. */
  public int neighbours(int n) {
    int k = (int) (frac * n + 1e-10);
    return Math.max(2, Math.min(n, k));
  }

  /**
   * Smooths y against x.
   *
   * @param x the predictor values, finite, any order
   * @param y the responses, finite, as many as x
   * @return the fit: the fitted value of every point in input order and the fitted curve at each distinct x
   * @throws IllegalArgumentException when the arrays differ in length, hold fewer than 2 points, or hold a NaN
   *     or infinite value (the message names the array, the index and the value)
   */
  public LowessFit fit(double[] x, double[] y) {
    checkInput(x, y);
    SortedGroups groups = SortedGroups.of(x);
    int n = x.length;
    int[] order = groups.order();
    int[] counts = groups.counts();
    // every pass works on the points in ascending x: sequential loops, and one scattered write at the end
    double[] sortedY = new double[n];
    // weights of 1 in an array rather than null: one code path, so no recompilation after the first pass
    double[] robustness = new double[n];
    for (int p = 0; p < n; p++) {
      sortedY[p] = y[order[p]];
      robustness[p] = 1.0;
    }
    LowessWindows windows = LowessWindows.of(groups, neighbours(n), delta);
    GroupSmoother smoother = new GroupSmoother(groups, windows, sortedY);
    double[] fits = new double[groups.size()];
    // the output doubles as the scratch of the median: fresh memory is slow to touch in a new JVM
    double[] fitted = new double[n];
    for (int pass = 0; pass <= iterations; pass++) {
      smoother.load(robustness);
      smoother.smooth(fits);
      if (pass == iterations) {
        break;
      }
      double sum = absResiduals(sortedY, fits, counts, fitted);
      double median = Selection.median(fitted);
      if (residualsNegligible(median, sum / n)) {
        break;
      }
      robustnessWeights(sortedY, fits, counts, 6.0 * median, robustness);
    }
    int p = 0;
    for (int g = 0; g < counts.length; g++) {
      double fit = fits[g];
      for (int end = p + counts[g]; p < end; p++) {
        fitted[order[p]] = fit;
      }
    }
    return new LowessFit(groups.values(), fits, fitted);
  }

  /**
   * Checks the lengths and that every value is finite. Messages are built only on failure, and the scan is one
   * branch-free sum ({@code v - v} is 0 for a finite v and NaN otherwise): cheap even in a freshly started JVM.
   */
  static void checkInput(double[] x, double[] y) {
    Args.check(x != null && y != null, "x and y must not be null");
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "x and y must have the same length, got " + x.length + " and " + y.length);
    }
    if (x.length < 2) {
      throw new IllegalArgumentException("LOWESS needs at least 2 points, got " + x.length);
    }
    double probe = 0;
    for (int i = 0; i < x.length; i++) {
      probe += (x[i] - x[i]) + (y[i] - y[i]);
    }
    if (probe != 0) {
      for (int i = 0; i < x.length; i++) {
        if (!Double.isFinite(x[i])) {
          throw new IllegalArgumentException("x[" + i + "] must be finite, got " + x[i]);
        }
        if (!Double.isFinite(y[i])) {
          throw new IllegalArgumentException("y[" + i + "] must be finite, got " + y[i]);
        }
      }
    }
  }

  /**
   * R's stopping rule for the robustifying passes: the residuals are effectively zero when
   * {@code 6 * median|residual| < 1e-7 * mean|residual|} (relative, so the same for y in any unit), or when the
   * median is 0 (R then stops too, unless every residual is 0, where its next pass gives the same fit).
   */
  static boolean residualsNegligible(double median, double meanAbsResidual) {
    return 6.0 * median < 1e-7 * meanAbsResidual || median == 0;
  }

  /**
   * Writes {@code |y - fit|} of every point (in sorted order; the fit of its group) to {@code out} and returns
   * their sum.
   */
  private static double absResiduals(double[] sortedY, double[] fits, int[] counts, double[] out) {
    double sum = 0;
    int p = 0;
    for (int g = 0; g < counts.length; g++) {
      double fit = fits[g];
      for (int end = p + counts[g]; p < end; p++) {
        double r = Math.abs(sortedY[p] - fit);
        out[p] = r;
        sum += r;
      }
    }
    return sum;
  }

  /**
   * The bisquare weights of the residuals {@code |y - fit|} (recomputed, in sorted order) in units of
   * {@code scale}, into {@code out}.
   */
  private static void robustnessWeights(double[] sortedY, double[] fits, int[] counts, double scale, double[] out) {
    int p = 0;
    for (int g = 0; g < counts.length; g++) {
      double fit = fits[g];
      for (int end = p + counts[g]; p < end; p++) {
        double u = Math.min(Math.abs(sortedY[p] - fit) / scale, 1.0);
        double t = 1.0 - u * u;
        out[p] = t * t;
      }
    }
  }

  /** Bisquare weights of residuals in units of {@code scale}, clipped at 1 (weight 0). */
  static double[] bisquareWeights(double[] absResiduals, double scale) {
    double[] w = new double[absResiduals.length];
    for (int j = 0; j < absResiduals.length; j++) {
      double u = Math.min(absResiduals[j] / scale, 1.0);
      double t = 1.0 - u * u;
      w[j] = t * t;
    }
    return w;
  }

  @Override
  public String toString() {
    return "Lowess{frac=" + frac + ", iterations=" + iterations + ", delta=" + delta + "}";
  }

  /** Builds a {@link Lowess}; each setter validates its argument. */
  public static final class Builder {
    private double frac = DEFAULT_FRAC;
    private int iterations = DEFAULT_ITERATIONS;
    private double delta = 0.0;

    private Builder() {}

    /** The fraction of points in each local regression, in (0, 1]; default 2/3. */
    public Builder frac(double frac) {
      this.frac = Args.inOpenClosed("frac", frac, 0, 1);
      return this;
    }

    /** The number of robustifying iterations, {@code >= 0}; default 3. */
    public Builder iterations(int iterations) {
      this.iterations = Args.nonNegative("iterations", iterations);
      return this;
    }

    /** The interpolation distance, finite and {@code >= 0}; default 0 (every distinct x fitted). */
    public Builder delta(double delta) {
      this.delta = Args.finite("delta", Args.nonNegative("delta", delta));
      return this;
    }

    /** Builds the immutable configuration. */
    public Lowess build() {
      return new Lowess(this);
    }
  }
}
