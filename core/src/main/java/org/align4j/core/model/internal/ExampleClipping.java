package org.align4j.core.model.internal;

/**
 * How {@link TransformerBackprop#clippedGradients} clips each example's gradient: the parameters fall into groups,
 * and each example's groups are scaled by factors computed from that example's squared norm in every group (one
 * group with factor {@code min(1, C / norm)} for flat L2 clipping). The DP-SGD engine's per-example clipping
 * implements it.
 */
public interface ExampleClipping {

  /** The number of groups. */
  int groupCount();

  /**
   * The group of parameter {@code name}, in {@code [0, groupCount())}.
   *
   * @throws IllegalArgumentException for a parameter this clipping does not know
   */
  int group(String name);

  /** Every group's scale factor for one example, given that example's squared norm in every group. */
  double[] scales(double[] groupSquaredNorms);
}
