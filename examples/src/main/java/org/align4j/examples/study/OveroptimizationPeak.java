package org.align4j.examples.study;

import java.util.List;
import org.align4j.core.util.Args;

/**
 * Where the gold reward of a curve peaks: the first point with the highest gold reward, in the order of
 * optimisation (PPO iterations, or increasing n).
 *
 * @param step the peak's step (iteration or n)
 * @param kl the KL at the peak
 * @param gold the gold reward at the peak
 * @param withinRange whether the gold reward turned: a later point scored lower than the peak; false when the
 *     gold reward was still at its highest at the last point, so no peak was seen within the KL range measured
 * @param maxKl the largest KL of the curve (the range measured)
 */
public record OveroptimizationPeak(int step, double kl, double gold, boolean withinRange, double maxKl) {

  /**
   * The peak of {@code points}, in order of optimisation.
   *
   * @throws IllegalArgumentException for no points
   */
  static OveroptimizationPeak of(List<OveroptimizationPoint> points) {
    Args.check(!points.isEmpty(), "a curve needs at least one point");
    int best = 0;
    double maxKl = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).gold() > points.get(best).gold()) {
        best = i;
      }
      maxKl = Math.max(maxKl, points.get(i).kl());
    }
    OveroptimizationPoint p = points.get(best);
    boolean turned = points.get(points.size() - 1).gold() < p.gold();
    return new OveroptimizationPeak(p.step(), p.kl(), p.gold(), turned, maxKl);
  }
}
