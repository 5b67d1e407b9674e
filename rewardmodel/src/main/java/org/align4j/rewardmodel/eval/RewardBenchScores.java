package org.align4j.rewardmodel.eval;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * RewardBench scores in percent.
 *
 * @param sections the score of each section present
 * @param overall the mean of the section scores
 */
public record RewardBenchScores(Map<RewardBenchSection, Double> sections, double overall) {

  /** Copies the section map. */
  public RewardBenchScores {
    sections = Collections.unmodifiableMap(new EnumMap<>(sections));
  }

  /** The score of one section, empty when none of its subsets was present. */
  public OptionalDouble section(RewardBenchSection section) {
    Double score = sections.get(section);
    return score == null ? OptionalDouble.empty() : OptionalDouble.of(score);
  }
}
