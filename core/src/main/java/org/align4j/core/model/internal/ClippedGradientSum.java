package org.align4j.core.model.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerWeights;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns the factored weight gradients of a backward pass ({@link GradientTerm}s) into gradient arrays: plainly
 * summed over the batch, or, for {@link TransformerBackprop#clippedGradients}, with every example's share clipped by
 * an {@link ExampleClipping} first.
 */
final class ClippedGradientSum {

  private ClippedGradientSum() {}

  /**
   * The sum of the examples' clipped gradients: each example's squared norm per clipping group from the terms, its
   * scale factors from {@code clipping}, then every weight gradient with each example's rows scaled.
   *
   * @param loss the objective's value, carried into the result
   * @throws IllegalArgumentException when {@code clipping} splits the weights of one term into different groups
   */
  static TransformerBackprop.ClippedStep of(List<GradientTerm> terms, int examples, ExampleClipping clipping,
      TransformerConfig config, double loss) {
    double[][] squaredNorms = new double[examples][clipping.groupCount()];
    double[] termNorms = new double[examples];
    for (GradientTerm term : terms) {
      int group = groupOf(term, clipping);
      Arrays.fill(termNorms, 0);
      term.addSquaredNorms(termNorms);
      for (int i = 0; i < examples; i++) {
        squaredNorms[i][group] += termNorms[i];
      }
    }
    double[][] scales = new double[examples][];
    for (int i = 0; i < examples; i++) {
      scales[i] = clipping.scales(squaredNorms[i]);
    }
    Map<String, INDArray> grads = assemble(terms, config, clipping, scales);
    grads.replaceAll((name, g) -> g.detach());
    return new TransformerBackprop.ClippedStep(loss, squaredNorms, scales, grads);
  }

  private static int groupOf(GradientTerm term, ExampleClipping clipping) {
    int group = clipping.group(term.names().get(0));
    for (String name : term.names()) {
      if (clipping.group(name) != group) {
        throw new IllegalArgumentException("clipping groups must keep " + term.names() + " together");
      }
    }
    return group;
  }

  /**
   * Every term's gradients, keyed and ordered as {@link TransformerWeights#names} and then any heads' in the order
   * of their terms: unscaled when {@code scales} is
   * null (and {@code clipping} is not read), else each example's share scaled by its factor in the term's group.
   */
  static Map<String, INDArray> assemble(List<GradientTerm> terms, TransformerConfig config,
      ExampleClipping clipping, double[][] scales) {
    Map<String, INDArray> byName = new LinkedHashMap<>();
    for (GradientTerm term : terms) {
      double[] exampleScales = null;
      if (scales != null) {
        int group = clipping.group(term.names().get(0));
        double[] column = new double[scales.length];
        boolean unit = true;
        for (int i = 0; i < scales.length; i++) {
          column[i] = scales[i][group];
          unit &= column[i] == 1.0;
        }
        exampleScales = unit ? null : column;
      }
      List<INDArray> g = term.gradients(exampleScales);
      for (int k = 0; k < g.size(); k++) {
        byName.put(term.names().get(k), g.get(k));
      }
    }
    Map<String, INDArray> ordered = new LinkedHashMap<>();
    for (String name : TransformerWeights.names(config)) {
      ordered.put(name, byName.remove(name));
    }
    ordered.putAll(byName);
    return ordered;
  }
}
