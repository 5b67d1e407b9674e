package org.align4j.core.dp;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.align4j.core.train.AdamW;
import org.align4j.core.util.Args;
import org.align4j.core.util.FloatViews;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DP-SGD step (Abadi et al. 2016), independent of what is trained: for a logical batch, clip every example's
 * gradient to C ({@link PerExampleClipping}), sum, add Gaussian noise of standard deviation {@code sigma * C} to
 * every coordinate of the sum, divide by the expected batch size {@code q * N}, and hand the result to AdamW. An
 * empty batch still gets the noise and is a step, as the accountants assume.
 *
 * <p>A logical batch larger than the gradient path's physical batch is processed in several passes whose clipped
 * gradients are accumulated before the single noise draw (virtual batches), so it is one step for the accountant.
 *
 * <p>Reuse: a trainer supplies a {@link PerExampleLoss} (SFT: {@link SequenceNllLoss}; a reward model: the pair
 * loss on a head; PPO: {@link PolicyRolloutLoss}, the clipped loss of each prompt's rollouts), builds a
 * {@link GradientPath} over its parameters, and records each step with its accountant. The noise is drawn from
 * a seeded {@link SplittableRandom}, so a run is reproducible; like Opacus's default it is not a cryptographically
 * secure generator and float32 noise is subject to the floating-point attacks of Mironov (2012), so the guarantee
 * is that of the idealised Gaussian mechanism. Not thread-safe.
 *
 * @param <E> the example type
 */
public final class DpSgd<E> {

  /**
   * Settings of the private step.
   *
   * @param noiseMultiplier sigma: the noise standard deviation over C; {@code > 0}, or 0 with {@code nonPrivate}
   * @param clipNorm C, finite and {@code > 0}
   * @param clippingMode flat or per layer
   * @param expectedBatchSize {@code q * N}, the divisor of the noisy sum, {@code > 0}
   * @param seed seed of the noise
   * @param nonPrivate a switch for tests and baselines: sigma must then be 0 and nothing is private
   */
  public record Settings(double noiseMultiplier, double clipNorm, ClippingMode clippingMode,
      double expectedBatchSize, long seed, boolean nonPrivate) {

    /** Validates. */
    public Settings {
      Args.finite("noiseMultiplier", noiseMultiplier);
      if (nonPrivate) {
        Args.check(noiseMultiplier == 0, "noiseMultiplier must be 0 when nonPrivate, got %s", noiseMultiplier);
      } else {
        Args.positive("noiseMultiplier", noiseMultiplier);
      }
      Args.positive("clipNorm", clipNorm);
      Args.finite("clipNorm", clipNorm);
      Args.positive("expectedBatchSize", expectedBatchSize);
      Args.finite("expectedBatchSize", expectedBatchSize);
      Objects.requireNonNull(clippingMode, "clippingMode");
    }

    /** Private settings: sigma {@code > 0}. */
    public static Settings of(double noiseMultiplier, double clipNorm, ClippingMode clippingMode,
        double expectedBatchSize, long seed) {
      return new Settings(noiseMultiplier, clipNorm, clippingMode, expectedBatchSize, seed, false);
    }
  }

  /**
   * One step's private gradient and what clipping saw.
   *
   * @param gradient the noisy mean gradient by parameter name (the engine's buffers: valid until the next step)
   * @param stats the batch's clipping statistics
   */
  record NoisyGradient(Map<String, INDArray> gradient, ClipStats stats) {}

  private final PerExampleGradients<E> gradients;
  private final Map<String, INDArray> parameters;
  private final Settings settings;
  private final PerExampleClipping clipping;
  private final AdamW optimizer;
  private final SplittableRandom noise;
  private final Map<String, INDArray> sum = new LinkedHashMap<>();
  private long steps;

  /**
   * An engine over {@code parameters} (live arrays keyed as {@code gradients.parameterNames()}).
   *
   * @param gradients the per-example gradient path
   * @param parameters the trainable arrays, updated in place
   * @param settings sigma, C, clipping mode, expected batch size, seed
   * @param optimizer the update applied to the private gradient
   */
  public DpSgd(PerExampleGradients<E> gradients, Map<String, INDArray> parameters, Settings settings,
      AdamW optimizer) {
    this.gradients = gradients;
    this.parameters = parameters;
    this.settings = settings;
    this.optimizer = optimizer;
    List<String> names = gradients.parameterNames();
    for (String name : names) {
      INDArray p = parameters.get(name);
      Args.check(p != null, "no parameter array for %s", name);
      sum.put(name, Nd4j.createUninitialized(p.dataType(), p.shape(), 'c'));
    }
    this.clipping = new PerExampleClipping(settings.clipNorm(), settings.clippingMode(), names);
    this.noise = new SplittableRandom(settings.seed());
  }

  /**
   * An engine that only computes private gradients ({@link #privateGradient}), for a training loop that applies
   * them with its own optimiser; {@link #step} is not available.
   */
  DpSgd(PerExampleGradients<E> gradients, Map<String, INDArray> parameters, Settings settings) {
    this(gradients, parameters, settings, null);
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /** The clipping in use. */
  PerExampleClipping clipping() {
    return clipping;
  }

  /** The per-example gradient path in use. */
  PerExampleGradients<E> gradients() {
    return gradients;
  }

  /** Steps taken so far (including empty batches). */
  public long steps() {
    return steps;
  }

  /**
   * The private gradient of a logical batch without updating the parameters:
   * {@code (sum_i clip(g_i) + N(0, (sigma C)^2 I)) / (q N)}.
   */
  NoisyGradient privateGradient(List<E> batch) {
    for (INDArray s : sum.values()) {
      s.assign(0);
    }
    ClipStats stats = batch.isEmpty() ? ClipStats.EMPTY : gradients.accumulateClipped(batch, clipping, sum);
    double std = settings.noiseMultiplier() * settings.clipNorm();
    float scale = (float) (1.0 / settings.expectedBatchSize());
    for (INDArray s : sum.values()) {
      noiseAndScale(s, std, scale);
    }
    return new NoisyGradient(sum, stats);
  }

  /**
   * {@code s = (s + N(0, std^2)) * scale} in float, in place, the noise drawn in c order (none when std is 0): one
   * Java pass over the sum's own memory.
   */
  private void noiseAndScale(INDArray s, double std, float scale) {
    FloatBuffer v = FloatViews.of(s);
    if (v == null) {
      throw new IllegalStateException("DP-SGD trains float parameters, got " + s.dataType());
    }
    for (int i = 0, n = v.limit(); i < n; i++) {
      float x = v.get(i);
      if (std > 0) {
        x += (float) (noise.nextGaussian() * std);
      }
      v.put(i, x * scale);
    }
  }

  /**
   * One DP-SGD step on {@code batch} (may be empty) at learning rate {@code lr}.
   *
   * @throws IllegalStateException for an engine made without an optimiser
   */
  public ClipStats step(List<E> batch, double lr) {
    if (optimizer == null) {
      throw new IllegalStateException("this DP-SGD engine has no optimiser: it only computes private gradients");
    }
    NoisyGradient g = privateGradient(batch);
    optimizer.update(parameters, g.gradient(), lr);
    steps++;
    return g.stats();
  }

}
