package org.align4j.core.train;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.align4j.core.util.Args;
import org.align4j.core.util.FloatViews;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), updating parameters in place:
 * {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd p} (decay only where
 * {@code decays} says so). A float parameter, gradient and moments that own their memory are updated in one Java
 * pass over it (at a small model's widths the ten ND4J operations per parameter cost more in dispatch than in
 * arithmetic); it computes in float, operation by operation in the order of the ND4J operations that update any
 * other parameter, so both give the same bits. Temporaries are released as soon as they are used, so long runs do
 * not wait for the garbage collector to free off-heap memory. Not thread-safe.
 */
public final class AdamW {

  /**
   * Settings of the optimiser.
   *
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param epsilon denominator floor, > 0
   * @param weightDecay decoupled weight decay, >= 0
   */
  public record Config(double beta1, double beta2, double epsilon, double weightDecay) {
    /** Validates. */
    public Config {
      Args.inClosedOpen("beta1", beta1, 0, 1);
      Args.inClosedOpen("beta2", beta2, 0, 1);
      Args.positive("epsilon", epsilon);
      Args.nonNegative("weightDecay", weightDecay);
    }

    /** beta1 0.9, beta2 0.999, epsilon 1e-8 and the given weight decay. */
    public static Config withWeightDecay(double weightDecay) {
      return new Config(0.9, 0.999, 1e-8, weightDecay);
    }
  }

  private final Config config;
  private final Predicate<String> decays;
  private final Map<String, INDArray> m = new HashMap<>();
  private final Map<String, INDArray> v = new HashMap<>();
  private long step;

  /** An optimiser applying weight decay to the parameters whose name {@code decays} accepts. */
  public AdamW(Config config, Predicate<String> decays) {
    this.config = config;
    this.decays = decays;
  }

  /** Updates every parameter that has a gradient, in place, at learning rate {@code lr}. */
  public void update(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
    step++;
    double c1 = 1 - Math.pow(config.beta1(), step);
    double c2 = 1 - Math.pow(config.beta2(), step);
    for (Map.Entry<String, INDArray> e : grads.entrySet()) {
      String name = e.getKey();
      INDArray g = e.getValue();
      INDArray p = params.get(name);
      // the moments start at zero (ulike() would leave them uninitialised)
      INDArray mt = m.computeIfAbsent(name, k -> p.like());
      INDArray vt = v.computeIfAbsent(name, k -> p.like());
      boolean decay = config.weightDecay() > 0 && decays.test(name);
      FloatBuffer pb = FloatViews.of(p);
      FloatBuffer gb = FloatViews.of(g);
      FloatBuffer mb = FloatViews.of(mt);
      FloatBuffer vb = FloatViews.of(vt);
      if (pb != null && gb != null && mb != null && vb != null) {
        fused(pb, gb, mb, vb, lr, c1, c2, decay);
      } else {
        withOperations(p, g, mt, vt, lr, c1, c2, decay);
      }
    }
  }

  /** One parameter's update as ND4J operations (any data type, views included). */
  private void withOperations(INDArray p, INDArray g, INDArray mt, INDArray vt, double lr, double c1, double c2,
      boolean decay) {
    try (INDArray scaledGrad = g.mul(1 - config.beta1());
        INDArray squaredGrad = g.mul(g).muli(1 - config.beta2())) {
      mt.muli(config.beta1()).addi(scaledGrad);
      vt.muli(config.beta2()).addi(squaredGrad);
    }
    try (INDArray denom = Transforms.sqrt(vt.div(c2), false).addi(config.epsilon());
        INDArray update = mt.div(c1).divi(denom).muli(lr)) {
      if (decay) {
        p.muli(1 - lr * config.weightDecay());
      }
      p.subi(update);
    }
  }

  /**
   * The same update in one pass over float memory: each scalar rounded to float as ND4J does, each operation
   * rounded as its ND4J operation rounds (Java float arithmetic does not fuse a multiply and an add).
   */
  private void fused(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, double lr, double c1, double c2,
      boolean decay) {
    float b1 = (float) config.beta1();
    float b2 = (float) config.beta2();
    float oneMinusB1 = (float) (1 - config.beta1());
    float oneMinusB2 = (float) (1 - config.beta2());
    float eps = (float) config.epsilon();
    float fc1 = (float) c1;
    float fc2 = (float) c2;
    float flr = (float) lr;
    float keep = (float) (1 - lr * config.weightDecay());
    int n = p.limit();
    for (int i = 0; i < n; i++) {
      float gi = g.get(i);
      float mi = m.get(i) * b1 + gi * oneMinusB1;
      float vi = v.get(i) * b2 + gi * gi * oneMinusB2;
      m.put(i, mi);
      v.put(i, vi);
      float denom = (float) Math.sqrt(vi / fc2) + eps;
      float update = mi / fc1 / denom * flr;
      float pi = decay ? p.get(i) * keep : p.get(i);
      p.put(i, pi - update);
    }
  }

  /** Number of updates made. */
  public long steps() {
    return step;
  }
}
