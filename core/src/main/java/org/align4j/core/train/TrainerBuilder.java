package org.align4j.core.train;

import java.util.Objects;
import org.align4j.core.privacy.PrivacySettings;

/**
 * The settings every trainer's configuration builder shares, with their setters written once: the batch size, the
 * {@link OptimizerSettings} (whole, or one field at a time), the {@link PrivacySettings} and the seed. Each trainer's
 * builder extends this (or {@link EpochTrainerBuilder}) with its own settings and its {@code build()}; its class
 * documentation lists its defaults. Values are validated when the configuration is built.
 *
 * @param <B> the trainer's builder, which every setter returns
 */
public abstract class TrainerBuilder<B extends TrainerBuilder<B>> {

  private int batchSize;
  private OptimizerSettings.Builder optimizer;
  private PrivacySettings privacy = PrivacySettings.none();
  private long seed;

  /** A builder with the trainer's default batch size and optimizer settings, no privacy and seed 0. */
  protected TrainerBuilder(int batchSize, OptimizerSettings optimizer) {
    this.batchSize = batchSize;
    this.optimizer = optimizer.toBuilder();
  }

  /** This builder, as its own type. */
  @SuppressWarnings("unchecked")
  protected final B self() {
    return (B) this;
  }

  /** Examples per step (sequences, preference pairs or prompts, as the trainer says). */
  public B batchSize(int v) {
    batchSize = v;
    return self();
  }

  /** All optimizer settings at once. */
  public B optimizer(OptimizerSettings v) {
    optimizer = Objects.requireNonNull(v, "optimizer").toBuilder();
    return self();
  }

  /** Peak learning rate. */
  public B learningRate(double v) {
    optimizer.learningRate(v);
    return self();
  }

  /** Linear warm-up steps. */
  public B warmupSteps(long v) {
    optimizer.warmupSteps(v);
    return self();
  }

  /** The learning rate at the end of the cosine decay, as a fraction of the peak. */
  public B minLearningRateRatio(double v) {
    optimizer.minLearningRateRatio(v);
    return self();
  }

  /** AdamW's decoupled weight decay. */
  public B weightDecay(double v) {
    optimizer.weightDecay(v);
    return self();
  }

  /** The global gradient-norm clip (replaced by the per-example clip when training privately). */
  public B clipNorm(double v) {
    optimizer.clipNorm(v);
    return self();
  }

  /**
   * Privacy settings (default none: training without DP-SGD); the trainer's configuration says what a private run
   * does and refuses.
   */
  public B privacy(PrivacySettings v) {
    privacy = Objects.requireNonNull(v, "privacy");
    return self();
  }

  /** Seed of the data order and dropout, and with privacy of the sampling and the noise (default 0). */
  public B seed(long v) {
    seed = v;
    return self();
  }

  /** The batch size set. */
  protected int batchSize() {
    return batchSize;
  }

  /** The optimizer settings, validated. */
  protected OptimizerSettings optimizer() {
    return optimizer.build();
  }

  /** The privacy settings set. */
  protected PrivacySettings privacy() {
    return privacy;
  }

  /** The seed set. */
  protected long seed() {
    return seed;
  }
}
