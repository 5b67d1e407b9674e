package org.align4j.examples.cli;

import java.nio.file.Path;
import org.align4j.core.hf.Models;
import org.align4j.core.model.TransformerLm;
import org.align4j.rewardmodel.TransformerRewardModel;

/**
 * Loads the checkpoints named on the command line, saying in command-line terms when a checkpoint of the other
 * kind was given (a reward model where a language model is needed, or the reverse).
 */
final class CheckpointArgs {

  private CheckpointArgs() {}

  /** The language model at {@code path} (an align4j checkpoint or a Hugging Face folder), given with {@code option}. */
  static TransformerLm languageModel(String option, Path path) {
    if (CheckpointKind.of(path).orElse(null) == CheckpointKind.REWARD_MODEL) {
      throw new IllegalArgumentException(option + " " + path + " is a reward-model checkpoint (from train-rm), "
          + "which only ppo --reward takes; give a language-model checkpoint (from train-lm, dpo, ppo or "
          + "quickstart)");
    }
    return Models.load(path);
  }

  /** The reward model at {@code path}, given with {@code option}. */
  static TransformerRewardModel rewardModel(String option, Path path) {
    if (CheckpointKind.of(path).orElse(null) == CheckpointKind.LANGUAGE_MODEL) {
      throw new IllegalArgumentException(option + " " + path + " is a language-model checkpoint, not a reward "
          + "model; train one from it with: align4j train-rm --init " + path + " --output REWARD_MODEL");
    }
    return TransformerRewardModel.load(path);
  }
}
