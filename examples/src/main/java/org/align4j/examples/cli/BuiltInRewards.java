package org.align4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.align4j.rewardmodel.RewardModel;

/**
 * The rewards the {@code ppo} and {@code make-pairs} commands offer (and {@code winrate} as a judge): a trained reward-model checkpoint (a path, as written by
 * {@code train-rm}), or by name the programmatic {@code length} (the response's length in characters) and
 * {@code pattern:REGEX} (the fraction of the response's characters inside matches of a Java regular expression;
 * 1 at the optimum).
 */
final class BuiltInRewards {

  private BuiltInRewards() {}

  /**
   * The reward named by {@code spec}, given with {@code option} (named in errors).
   *
   * @throws IllegalArgumentException for an unknown name, a bad regular expression, or an unreadable checkpoint
   */
  static RewardModel parse(String option, String spec) {
    if (spec.equals("length")) {
      return (prompts, responses) -> responses.stream().mapToDouble(String::length).toArray();
    }
    if (spec.startsWith("pattern:")) {
      String regex = spec.substring("pattern:".length());
      if (regex.isEmpty()) {
        throw new IllegalArgumentException(option + " pattern: needs a regular expression, e.g. pattern:[a-z]");
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(option + " " + spec + " is not a valid regular expression: "
            + e.getDescription());
      }
      return (prompts, responses) -> responses.stream().mapToDouble(r -> covered(pattern, r)).toArray();
    }
    if (Files.exists(Path.of(spec))) {
      return CheckpointArgs.rewardModel(option, Path.of(spec));
    }
    throw new IllegalArgumentException(
        option + " must be a reward-model checkpoint, length or pattern:REGEX, got " + spec);
  }

  /** The fraction of {@code text}'s characters inside matches of {@code pattern} (0 for an empty text). */
  private static double covered(Pattern pattern, String text) {
    if (text.isEmpty()) {
      return 0;
    }
    int chars = 0;
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      chars += m.end() - m.start();
    }
    return (double) chars / text.length();
  }
}
