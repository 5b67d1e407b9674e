package org.align4j.rewardmodel.scoring;

import java.util.List;
import java.util.Objects;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.RewardModel;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.align4j.rewardmodel.ensemble.EnsembleRewardModel;

/**
 * A reward model with the name and fingerprint that reward files and calibrations record, and the tokenizer its
 * token lengths are counted with.
 *
 * @param name a short name (for example the checkpoint's file name), not blank
 * @param id the fingerprint ({@link RewardModelFingerprint}), not blank
 * @param model the reward model
 * @param tokenizer the tokenizer that token lengths are counted with
 */
public record NamedRewardModel(String name, String id, RewardModel model, Tokenizer tokenizer) {

  /** Validates the fields. */
  public NamedRewardModel {
    Args.check(name != null && !name.isBlank(), "name must not be blank");
    Args.check(id != null && !id.isBlank(), "id must not be blank");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizer, "tokenizer");
  }

  /** A trained transformer reward model, named {@code name}, with its fingerprint and own tokenizer. */
  public static NamedRewardModel of(String name, TransformerRewardModel model) {
    return new NamedRewardModel(name, RewardModelFingerprint.of(model), model, model.tokenizer());
  }

  /**
   * The mean of {@code members}' rewards, named {@code ensemble-mean}; token lengths are counted with the first
   * member's tokenizer.
   */
  public static NamedRewardModel ensembleMean(List<NamedRewardModel> members) {
    if (members.size() < 2) {
      throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members.size());
    }
    return new NamedRewardModel("ensemble-mean",
        RewardModelFingerprint.ofEnsemble("mean", members.stream().map(NamedRewardModel::id).toList()),
        EnsembleRewardModel.mean(members.stream().map(NamedRewardModel::model).toList()),
        members.get(0).tokenizer());
  }
}
