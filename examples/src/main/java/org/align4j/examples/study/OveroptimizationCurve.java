package org.align4j.examples.study;

import java.util.List;
import java.util.Objects;

/**
 * Proxy and gold reward against KL for one reward setting and one method of optimisation.
 *
 * @param setting the reward optimised ({@code proxy-N}, {@code ensemble-mean}, {@code ensemble-worst},
 *     {@code ensemble-mean-minus-std})
 * @param method {@code ppo} or {@code best-of-n}
 * @param points the measurements in order of optimisation
 * @param peak where the gold reward peaked
 */
public record OveroptimizationCurve(String setting, String method, List<OveroptimizationPoint> points,
    OveroptimizationPeak peak) {

  /** Validates and copies. */
  public OveroptimizationCurve {
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(method, "method");
    points = List.copyOf(points);
    Objects.requireNonNull(peak, "peak");
  }

  /** The curve with its peak detected. */
  static OveroptimizationCurve of(String setting, String method, List<OveroptimizationPoint> points) {
    return new OveroptimizationCurve(setting, method, points, OveroptimizationPeak.of(points));
  }
}
