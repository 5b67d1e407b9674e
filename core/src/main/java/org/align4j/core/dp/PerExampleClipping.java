package org.align4j.core.dp;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.internal.ExampleClipping;
import org.align4j.core.util.Args;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-example L2 clipping of a gradient over a fixed set of named parameters, {@link ClippingMode#FLAT} or
 * {@link ClippingMode#PER_LAYER}. A group whose norm {@code n_g} exceeds its bound {@code C_g} is scaled by
 * {@code C_g / n_g}; a group within its bound is left as it is. Immutable.
 */
public final class PerExampleClipping implements ExampleClipping {

  private final double clipNorm;
  private final ClippingMode mode;
  private final Map<String, Integer> groupOf = new LinkedHashMap<>();
  private final double[] thresholds;

  /**
   * Clipping of gradients over the parameters {@code names}.
   *
   * @param clipNorm C, finite and {@code > 0}
   * @param mode flat or per layer
   * @param names the parameter names, in order
   */
  public PerExampleClipping(double clipNorm, ClippingMode mode, Collection<String> names) {
    this.clipNorm = Args.positive("clipNorm", clipNorm);
    Args.finite("clipNorm", clipNorm);
    this.mode = mode;
    Args.check(!names.isEmpty(), "names must not be empty");
    Map<String, Integer> groups = new LinkedHashMap<>();
    for (String name : names) {
      String key = mode == ClippingMode.FLAT ? "" : layerOf(name);
      groupOf.put(name, groups.computeIfAbsent(key, k -> groups.size()));
    }
    this.thresholds = new double[groups.size()];
    Arrays.fill(thresholds, clipNorm / Math.sqrt(groups.size()));
  }

  /** The layer a parameter belongs to: its name up to the first dot ({@code l3.attn.wq} is in {@code l3}). */
  static String layerOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** C, the bound on each example's whole gradient norm. */
  double clipNorm() {
    return clipNorm;
  }

  /** Flat or per layer. */
  ClippingMode mode() {
    return mode;
  }

  /** The parameter names, in order. */
  List<String> names() {
    return List.copyOf(groupOf.keySet());
  }

  /** The number of clipping groups (1 when flat). */
  @Override
  public int groupCount() {
    return thresholds.length;
  }

  /** The group index of parameter {@code name}. */
  @Override
  public int group(String name) {
    Integer g = groupOf.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return g;
  }

  /** The bound of the group holding {@code name}: C when flat, {@code C / sqrt(G)} per layer. */
  public double threshold(String name) {
    return thresholds[group(name)];
  }

  /** The scale factor of every group, given every group's squared norm. */
  @Override
  public double[] scales(double[] groupSquaredNorms) {
    double[] s = new double[thresholds.length];
    for (int g = 0; g < s.length; g++) {
      double norm = Math.sqrt(groupSquaredNorms[g]);
      s[g] = norm > thresholds[g] ? thresholds[g] / norm : 1.0;
    }
    return s;
  }

  /** Every group's squared norm of one example's gradient. */
  double[] groupSquaredNorms(Map<String, INDArray> gradient) {
    double[] sq = new double[thresholds.length];
    for (Map.Entry<String, INDArray> e : gradient.entrySet()) {
      double n = e.getValue().norm2Number().doubleValue();
      sq[group(e.getKey())] += n * n;
    }
    return sq;
  }

  /**
   * Clips one example's gradient in place.
   *
   * @return the gradient's whole L2 norm before clipping
   */
  public double clip(Map<String, INDArray> gradient) {
    double[] sq = groupSquaredNorms(gradient);
    double[] s = scales(sq);
    for (Map.Entry<String, INDArray> e : gradient.entrySet()) {
      double f = s[group(e.getKey())];
      if (f != 1.0) {
        e.getValue().muli(f);
      }
    }
    return Math.sqrt(Arrays.stream(sq).sum());
  }

  /**
   * Clips one example's gradient and adds it to {@code sum} (keyed by parameter name, updated in place); the
   * gradient itself is left as it was.
   *
   * @param loss the example's loss, recorded in the returned statistics
   * @return this example's statistics
   */
  ClipStats addClipped(Map<String, INDArray> gradient, double loss, Map<String, INDArray> sum) {
    double[] sq = groupSquaredNorms(gradient);
    double[] scales = scales(sq);
    boolean clipped = false;
    for (Map.Entry<String, INDArray> p : gradient.entrySet()) {
      double s = scales[group(p.getKey())];
      clipped |= s < 1.0;
      INDArray target = sum.get(p.getKey());
      if (s == 1.0) {
        target.addi(p.getValue());
      } else {
        target.addi(p.getValue().mul(s));
      }
    }
    return new ClipStats(1, loss, Math.sqrt(Arrays.stream(sq).sum()), clipped ? 1 : 0);
  }
}
