package org.align4j.optimizers.preference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One loss of one batch of {@code dpo.batches} in rlhf_vectors.json, with the configuration it was made with. */
record DpoReferenceCase(String name, int batchId, PreferenceLoss loss, PreferenceBatch batch, double[] perExample,
    double mean) {

  @Override
  public String toString() {
    return "batch " + batchId + " " + name;
  }

  /** Every (batch, loss) case in the vectors; fails on a loss key this mapping does not know. */
  static List<DpoReferenceCase> all() {
    List<DpoReferenceCase> out = new ArrayList<>();
    for (JsonNode b : RlhfVectors.root().get("dpo").get("batches")) {
      PreferenceBatch batch = batch(b);
      b.get("losses").fields().forEachRemaining(e -> out.add(new DpoReferenceCase(e.getKey(), b.get("id").asInt(),
          config(e.getKey(), b), batch, RlhfVectors.doubles(e.getValue().get("per_example")),
          e.getValue().get("mean").asDouble())));
    }
    return out;
  }

  static PreferenceBatch batch(JsonNode b) {
    JsonNode in = b.get("inputs");
    return new PreferenceBatch(RlhfVectors.doubles(in.get("policy_chosen_logps")),
        RlhfVectors.doubles(in.get("policy_rejected_logps")), RlhfVectors.doubles(in.get("ref_chosen_logps")),
        RlhfVectors.doubles(in.get("ref_rejected_logps")), RlhfVectors.ints(in.get("chosen_token_counts")),
        RlhfVectors.ints(in.get("rejected_token_counts")));
  }

  /** The configuration of a named loss, following meta.conventions (ε for robust and cdpo; exo's own ε). */
  static PreferenceLoss config(String name, JsonNode b) {
    PreferenceLoss.Builder builder = PreferenceLoss.builder().beta(b.get("beta").asDouble());
    double eps = b.get("label_smoothing").asDouble();
    return switch (name) {
      case "sigmoid" -> builder.type(PreferenceLossType.SIGMOID).build();
      case "ipo" -> builder.type(PreferenceLossType.IPO).build();
      case "ipo_unnormalized" -> builder.type(PreferenceLossType.IPO).ipoLengthNormalized(false).build();
      case "hinge" -> builder.type(PreferenceLossType.HINGE).build();
      case "robust" -> builder.type(PreferenceLossType.ROBUST).labelSmoothing(eps).build();
      case "cdpo" -> builder.type(PreferenceLossType.CDPO).labelSmoothing(eps).build();
      case "exo_pair" -> builder.type(PreferenceLossType.EXO_PAIR)
          .labelSmoothing(b.get("exo_pair_epsilon").asDouble()).build();
      case "nca_pair" -> builder.type(PreferenceLossType.NCA_PAIR).build();
      case "bco_pair" -> builder.type(PreferenceLossType.BCO_PAIR).build();
      case "sppo_hard" -> builder.type(PreferenceLossType.SPPO_HARD).build();
      case "apo_zero" -> builder.type(PreferenceLossType.APO_ZERO).build();
      case "apo_down" -> builder.type(PreferenceLossType.APO_DOWN).build();
      case "discopop" -> builder.type(PreferenceLossType.DISCOPOP)
          .discopopTau(b.get("discopop_tau").asDouble()).build();
      case "sigmoid_norm" -> builder.type(PreferenceLossType.SIGMOID_NORM).build();
      case "aot" -> builder.type(PreferenceLossType.AOT).build();
      case "aot_unpaired" -> builder.type(PreferenceLossType.AOT_UNPAIRED).build();
      default -> throw new AssertionError("loss in the vectors without a mapping: " + name);
    };
  }
}
