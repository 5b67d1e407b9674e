package org.align4j.core.privacy;

import java.util.Objects;
import java.util.function.Supplier;
import org.align4j.core.util.Args;
import org.apache.commons.math3.analysis.solvers.AllowedSolution;
import org.apache.commons.math3.analysis.solvers.BracketingNthOrderBrentSolver;
import org.apache.commons.math3.exception.TooManyEvaluationsException;

/**
 * Finds the noise multiplier for a target epsilon: the smallest sigma (within a relative tolerance, 1e-6 by
 * default) at which {@code steps} steps with sample rate q are (epsilon, delta)-DP under a given accountant. The
 * root is bracketed by doubling or halving from sigma = 1 and then found by a bracketing Brent solver that only
 * returns points on the private side (epsilon at most the target).
 *
 * <pre>{@code
 * NoiseCalibration.Result r = NoiseCalibration.forEpochs(3.0, 256.0 / 60000, 60, 1e-5, RdpAccountant::new);
 * double sigma = r.noiseMultiplier();
 * }</pre>
 */
public final class NoiseCalibration {

  /** The largest noise multiplier tried; a target out of reach at this sigma is rejected. */
  public static final double MAX_NOISE_MULTIPLIER = 1e6;
  /** The smallest noise multiplier tried; returned when even it meets the target. */
  public static final double MIN_NOISE_MULTIPLIER = 1e-3;
  /** The default relative tolerance on sigma. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;

  /**
   * A calibrated noise multiplier.
   *
   * @param noiseMultiplier the sigma found
   * @param epsilon the epsilon it gives (at most the target)
   * @param targetEpsilon the target
   * @param sampleRate q
   * @param steps the number of steps
   * @param delta the delta
   * @param accountant the accountant's name
   * @param evaluations how many accountant evaluations the search took
   */
  public record Result(
      double noiseMultiplier, double epsilon, double targetEpsilon, double sampleRate, long steps, double delta,
      String accountant, int evaluations) {}

  private NoiseCalibration() {}

  /** {@code ceil(epochs / sampleRate)}: the steps of {@code epochs} passes over the data at rate q. */
  public static long stepsForEpochs(double epochs, double sampleRate) {
    Args.positive("epochs", epochs);
    Args.finite("epochs", epochs);
    MechanismStep.checkSampleRate(sampleRate);
    double steps = Math.ceil(epochs / sampleRate);
    Args.check(steps < Long.MAX_VALUE, "epochs / sampleRate too large: %s", steps);
    return (long) steps;
  }

  /** As {@link #forSteps}, with {@code steps = ceil(epochs / sampleRate)}. */
  public static Result forEpochs(
      double targetEpsilon, double sampleRate, double epochs, double delta,
      Supplier<? extends PrivacyAccountant> accountants) {
    return forSteps(targetEpsilon, sampleRate, stepsForEpochs(epochs, sampleRate), delta, accountants);
  }

  /** As {@link #forSteps(double, double, long, double, Supplier, double)} with the default tolerance. */
  public static Result forSteps(
      double targetEpsilon, double sampleRate, long steps, double delta,
      Supplier<? extends PrivacyAccountant> accountants) {
    return forSteps(targetEpsilon, sampleRate, steps, delta, accountants, DEFAULT_RELATIVE_TOLERANCE);
  }

  /**
   * The smallest noise multiplier (within {@code relativeTolerance}) whose epsilon is at most the target.
   *
   * @param targetEpsilon finite and {@code > 0}
   * @param sampleRate q in (0, 1]
   * @param steps {@code > 0}
   * @param delta in (0, 1)
   * @param accountants makes a fresh, empty accountant for each evaluation
   * @param relativeTolerance in (0, 0.1]
   * @throws IllegalArgumentException when the target is out of reach for sigma up to {@link #MAX_NOISE_MULTIPLIER}
   */
  public static Result forSteps(
      double targetEpsilon, double sampleRate, long steps, double delta,
      Supplier<? extends PrivacyAccountant> accountants, double relativeTolerance) {
    Args.positive("targetEpsilon", targetEpsilon);
    Args.finite("targetEpsilon", targetEpsilon);
    MechanismStep.checkSampleRate(sampleRate);
    Args.positive("steps", steps);
    PrivacyAccountant.checkDelta(delta);
    Objects.requireNonNull(accountants, "accountants");
    Args.inOpenClosed("relativeTolerance", relativeTolerance, 0, 0.1);
    int[] evaluations = {0};
    String[] name = {""};
    java.util.function.DoubleUnaryOperator excess = sigma -> {
      evaluations[0]++;
      PrivacyAccountant accountant = accountants.get();
      name[0] = accountant.name();
      return accountant.add(sigma, sampleRate, steps).epsilon(delta) - targetEpsilon;
    };
    // bracket: lo has epsilon above the target, hi at most the target
    double lo;
    double hi;
    double atHi;
    double start = excess.applyAsDouble(1);
    if (start <= 0) {
      hi = 1;
      atHi = start;
      lo = 0.5;
      while (true) {
        double f = excess.applyAsDouble(lo);
        if (f > 0) {
          break;
        }
        hi = lo;
        atHi = f;
        if (lo <= MIN_NOISE_MULTIPLIER) {
          return new Result(hi, atHi + targetEpsilon, targetEpsilon, sampleRate, steps, delta, name[0],
              evaluations[0]);
        }
        lo = Math.max(MIN_NOISE_MULTIPLIER, lo / 2);
      }
    } else {
      lo = 1;
      hi = 2;
      while (true) {
        double f = excess.applyAsDouble(hi);
        if (f <= 0) {
          atHi = f;
          break;
        }
        if (hi >= MAX_NOISE_MULTIPLIER) {
          throw new IllegalArgumentException("targetEpsilon " + targetEpsilon + " is out of reach: epsilon is still "
              + (f + targetEpsilon) + " at noiseMultiplier " + MAX_NOISE_MULTIPLIER + " (sampleRate " + sampleRate
              + ", steps " + steps + ", delta " + delta + ", accountant " + name[0] + ")");
        }
        lo = hi;
        hi = Math.min(MAX_NOISE_MULTIPLIER, hi * 2);
      }
    }
    BracketingNthOrderBrentSolver solver =
        new BracketingNthOrderBrentSolver(relativeTolerance, relativeTolerance * lo, 1e-12, 5);
    double sigma;
    try {
      sigma = solver.solve(200, excess::applyAsDouble, lo, hi, AllowedSolution.BELOW_SIDE);
    } catch (TooManyEvaluationsException e) {
      sigma = hi;
    }
    double f = excess.applyAsDouble(sigma);
    if (f > 0) {
      sigma = hi;
      f = atHi;
    }
    return new Result(sigma, f + targetEpsilon, targetEpsilon, sampleRate, steps, delta, name[0], evaluations[0]);
  }
}
