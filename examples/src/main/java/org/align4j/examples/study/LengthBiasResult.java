package org.align4j.examples.study;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * The outcome of the length-bias study; {@code study.json} holds it as it is (see {@link LengthBiasReport}).
 *
 * @param study always {@value #STUDY}
 * @param config its settings
 * @param gold what the gold reward measures
 * @param labeller how the preference labels were biased
 * @param rewardModel the biased reward model and its calibration
 * @param policies SFT, then PPO and DPO with the raw and with the calibrated reward
 * @param rankingPolicies how many policies the rankings below are over
 * @param rawRankingSpearman Spearman correlation over the policies between their mean raw reward and their mean
 *     gold reward (NaN when either is constant)
 * @param calibratedRankingSpearman the same with the calibrated reward
 * @param timings every stage's wall time, in order
 * @param html where {@code study.html} was written
 * @param json where {@code study.json} was written
 */
public record LengthBiasResult(String study, LengthBiasConfig config, String gold, String labeller,
    LengthBiasRewardModel rewardModel, List<LengthBiasPolicy> policies, int rankingPolicies,
    double rawRankingSpearman, double calibratedRankingSpearman, List<StageTiming> timings, Path html, Path json) {

  /** The study's name, also how an existing {@code study.json} is recognised. */
  public static final String STUDY = "length-bias";

  /** Validates and copies. */
  public LengthBiasResult {
    Args.check(STUDY.equals(study), "study must be %s, got %s", STUDY, study);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(rewardModel, "rewardModel");
    policies = List.copyOf(policies);
    timings = List.copyOf(timings);
  }

  /** The policy called {@code name}. */
  public LengthBiasPolicy policy(String name) {
    return policies.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no policy " + name));
  }
}
