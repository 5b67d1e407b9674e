package org.align4j.rewardmodel.calibration;

import java.util.Arrays;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Fits a {@link Calibration} of one reward model on scored pairs. A configuration built by {@link #builder()};
 * immutable and thread-safe. Fitting is deterministic.
 *
 * <pre>{@code
 * Calibration calibration = Calibrator.builder().method(CalibrationMethod.LWR).frac(0.9).build().fit(pairs);
 * RewardPairs calibrated = calibration.apply(pairs);
 * }</pre>
 */
public final class Calibrator {

  /** The default LOWESS fraction (one of the paper's settings). */
  public static final double DEFAULT_FRAC = 0.9;
  /** The default RC-Mean window half-width as a fraction of the mean feature difference within pairs. */
  public static final double DEFAULT_WINDOW_RATIO = 0.25;
  /** The default minimum number of responses in an RC-Mean window. */
  public static final int DEFAULT_MIN_COUNT = 20;
  /** The default length-penalty coefficient. */
  public static final double DEFAULT_PENALTY_COEF = 0.001;

  private final CalibrationMethod method;
  private final double alpha;
  private final Lowess lowess;
  private final double windowRatio;
  private final int minCount;
  private final double penaltyCoef;
  private final String featureName;
  private final String penaltyFeatureName;

  private Calibrator(Builder b) {
    this.method = b.method;
    this.alpha = b.alpha;
    this.lowess = Lowess.builder().frac(b.frac).iterations(b.iterations).delta(b.delta).build();
    this.windowRatio = b.windowRatio;
    this.minCount = b.minCount;
    this.penaltyCoef = b.penaltyCoef;
    this.featureName = b.featureName;
    this.penaltyFeatureName = b.penaltyFeatureName;
  }

  /** A builder with the defaults: RC-LWR, alpha 1, frac 0.9, 3 iterations, delta 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configured method. */
  public CalibrationMethod method() {
    return method;
  }

  /**
   * Fits the calibration on {@code pairs}, pooling the chosen and rejected responses.
   *
   * @throws IllegalArgumentException when the method needs a penalty feature and the pairs have none
   */
  public Calibration fit(RewardPairs pairs) {
    Objects.requireNonNull(pairs, "pairs");
    if (method.usesPenalty()) {
      Args.check(pairs.hasPenaltyFeature(), "method %s needs the penalty feature (%s) of each response", method.id(),
          penaltyFeatureName);
    }
    double[] feature = pool(pairs.chosenFeature(), pairs.rejectedFeature());
    double[] reward = pool(pairs.chosenReward(), pairs.rejectedReward());
    int points = reward.length;
    Calibration.Builder result = Calibration.builder(method)
        .alpha(alpha).windowRatio(windowRatio).minCount(minCount).penaltyCoef(penaltyCoef)
        .lowess(lowess.frac(), lowess.iterations(), lowess.delta())
        .featureName(featureName).penaltyFeatureName(method.usesPenalty() ? penaltyFeatureName : null)
        .points(points);
    if (method.usesPenalty()) {
      double[] penalty = pool(pairs.chosenPenaltyFeature(), pairs.rejectedPenaltyFeature());
      for (int i = 0; i < points; i++) {
        reward[i] -= penaltyCoef * penalty[i];
      }
    }
    switch (method) {
      case LWR, LWR_PENALTY -> {
        LowessFit fit = lowess.fit(feature, reward);
        result.knots(fit.knotX(), fit.knotY(), new int[0]);
      }
      case MEAN -> fitWindowMeans(pairs, feature, reward, result);
      case PENALTY -> result.knots(new double[0], new double[0], new int[0]);
      default -> throw new AssertionError(method);
    }
    return result.build();
  }

  private void fitWindowMeans(RewardPairs pairs, double[] feature, double[] reward, Calibration.Builder result) {
    double[] chosen = pairs.chosenFeature();
    double[] rejected = pairs.rejectedFeature();
    double meanDifference = 0;
    for (int i = 0; i < chosen.length; i++) {
      meanDifference += Math.abs(chosen[i] - rejected[i]);
    }
    double halfWidth = windowRatio * (meanDifference / chosen.length);
    SortedGroups groups = SortedGroups.of(feature);
    double[] xs = groups.values();
    int distinct = xs.length;
    int[] groupOf = groups.groupOf();
    int[] counts = groups.counts();
    double[] groupReward = new double[distinct];
    for (int i = 0; i < feature.length; i++) {
      groupReward[groupOf[i]] += reward[i];
    }
    double[] prefixReward = new double[distinct + 1];
    long[] prefixCount = new long[distinct + 1];
    for (int g = 0; g < distinct; g++) {
      prefixReward[g + 1] = prefixReward[g] + groupReward[g];
      prefixCount[g + 1] = prefixCount[g] + counts[g];
    }
    double[] knotBias = new double[distinct];
    int[] support = new int[distinct];
    int lo = 0;
    int hi = 0;
    for (int g = 0; g < distinct; g++) {
      while (xs[lo] < xs[g] - halfWidth) {
        lo++;
      }
      while (hi < distinct && xs[hi] <= xs[g] + halfWidth) {
        hi++;
      }
      support[g] = (int) (prefixCount[hi] - prefixCount[lo]);
      knotBias[g] = (prefixReward[hi] - prefixReward[lo]) / support[g];
    }
    result.windowHalfWidth(halfWidth).knots(xs, knotBias, support);
  }

  private static double[] pool(double[] chosen, double[] rejected) {
    double[] out = Arrays.copyOf(chosen, chosen.length + rejected.length);
    System.arraycopy(rejected, 0, out, chosen.length, rejected.length);
    return out;
  }

  /** Builds a {@link Calibrator}; each setter validates its argument. */
  public static final class Builder {
    private CalibrationMethod method = CalibrationMethod.LWR;
    private double alpha = 1.0;
    private double frac = DEFAULT_FRAC;
    private int iterations = Lowess.DEFAULT_ITERATIONS;
    private double delta = 0.0;
    private double windowRatio = DEFAULT_WINDOW_RATIO;
    private int minCount = DEFAULT_MIN_COUNT;
    private double penaltyCoef = DEFAULT_PENALTY_COEF;
    private String featureName = ResponseFeature.RESPONSE_LENGTH;
    private String penaltyFeatureName = ResponseFeature.TEXT_LENGTH;

    private Builder() {}

    /** The method; default {@link CalibrationMethod#LWR}. */
    public Builder method(CalibrationMethod method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** The strength of the bias correction, finite and {@code >= 0}; default 1. */
    public Builder alpha(double alpha) {
      this.alpha = Args.finite("alpha", Args.nonNegative("alpha", alpha));
      return this;
    }

    /** The LOWESS fraction, in (0, 1]; default 0.9. */
    public Builder frac(double frac) {
      this.frac = Args.inOpenClosed("frac", frac, 0, 1);
      return this;
    }

    /** The LOWESS robustifying iterations, {@code >= 0}; default 3. */
    public Builder iterations(int iterations) {
      this.iterations = Args.nonNegative("iterations", iterations);
      return this;
    }

    /** The LOWESS interpolation distance, finite and {@code >= 0}; default 0 (exact). */
    public Builder delta(double delta) {
      this.delta = Args.finite("delta", Args.nonNegative("delta", delta));
      return this;
    }

    /** RC-Mean's window half-width over the mean within-pair feature difference, {@code > 0}; default 1/4. */
    public Builder windowRatio(double windowRatio) {
      this.windowRatio = Args.finite("windowRatio", Args.positive("windowRatio", windowRatio));
      return this;
    }

    /** RC-Mean's minimum number of responses in a window, {@code > 0}; default 20. */
    public Builder minCount(int minCount) {
      this.minCount = Args.positive("minCount", minCount);
      return this;
    }

    /** The length-penalty coefficient, finite and {@code >= 0}; default 0.001. */
    public Builder penaltyCoef(double penaltyCoef) {
      this.penaltyCoef = Args.finite("penaltyCoef", Args.nonNegative("penaltyCoef", penaltyCoef));
      return this;
    }

    /** The name of the feature the pairs carry; default {@code "response_length"}. */
    public Builder featureName(String featureName) {
      Args.check(featureName != null && !featureName.isBlank(), "featureName must not be blank");
      this.featureName = featureName;
      return this;
    }

    /** The name of the penalty feature the pairs carry; default {@code "text_length"}. */
    public Builder penaltyFeatureName(String penaltyFeatureName) {
      Args.check(penaltyFeatureName != null && !penaltyFeatureName.isBlank(),
          "penaltyFeatureName must not be blank");
      this.penaltyFeatureName = penaltyFeatureName;
      return this;
    }

    /** Builds the immutable configuration. */
    public Calibrator build() {
      return new Calibrator(this);
    }
  }
}
