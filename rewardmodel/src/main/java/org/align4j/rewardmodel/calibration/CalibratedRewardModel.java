package org.align4j.rewardmodel.calibration;

import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;

/**
 * A reward model whose scores are calibrated: the base model's reward of each (prompt, response) minus the fitted
 * bias at the response's feature value (and the length penalty, for the penalty methods). Use it wherever a
 * {@link RewardModel} is expected, e.g. as PPO's reward. Thread-safe when the base model is.
 */
public final class CalibratedRewardModel implements RewardModel {

  private final RewardModel base;
  private final Calibration calibration;
  private final ResponseFeature feature;
  private final ResponseFeature penaltyFeature;

  /**
   * Wraps {@code base}.
   *
   * @param feature the feature the calibration was fitted on (its name must match)
   * @param penaltyFeature the penalty feature (its name must match) for penalty methods; ignored otherwise and
   *     may then be null
   * @throws IllegalArgumentException when a feature's name differs from the one the calibration was fitted with
   */
  public CalibratedRewardModel(RewardModel base, Calibration calibration, ResponseFeature feature,
      ResponseFeature penaltyFeature) {
    this.base = Objects.requireNonNull(base, "base");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.feature = Objects.requireNonNull(feature, "feature");
    Args.check(feature.name().equals(calibration.featureName()), "feature must be %s (the calibration's), got %s",
        calibration.featureName(), feature.name());
    if (calibration.method().usesPenalty()) {
      Objects.requireNonNull(penaltyFeature, "penaltyFeature");
      Args.check(penaltyFeature.name().equals(calibration.penaltyFeatureName()), "penaltyFeature must be %s, got %s",
          calibration.penaltyFeatureName(), penaltyFeature.name());
    }
    this.penaltyFeature = penaltyFeature;
  }

  /** The reward model whose scores are calibrated. */
  public RewardModel base() {
    return base;
  }

  /**
   * Wraps {@code base} with the built-in features: the response length and, for penalty methods, the prompt plus
   * response length.
   */
  public static CalibratedRewardModel of(RewardModel base, Calibration calibration) {
    return new CalibratedRewardModel(base, calibration, ResponseFeature.responseLength(),
        ResponseFeature.textLength());
  }

  /** The calibration applied. */
  public Calibration calibration() {
    return calibration;
  }

  @Override
  public double[] score(List<String> prompts, List<String> responses) {
    Args.check(prompts.size() == responses.size(), "prompts and responses must have the same size, got %s and %s",
        prompts.size(), responses.size());
    double[] raw = base.score(prompts, responses);
    double[] out = new double[raw.length];
    boolean penalty = calibration.method().usesPenalty();
    for (int i = 0; i < raw.length; i++) {
      String prompt = prompts.get(i);
      String response = responses.get(i);
      double x = feature.value(prompt, response);
      double p = penalty ? penaltyFeature.value(prompt, response) : 0.0;
      out[i] = calibration.calibrate(raw[i], x, p);
    }
    return out;
  }
}
