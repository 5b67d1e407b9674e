package org.align4j.optimizers.preference;

/** Configurations used by the stability tests: every type with valid settings. */
final class StabilityCases {

  private StabilityCases() {}

  static PreferenceLoss loss(PreferenceLossType type, double beta) {
    PreferenceLoss.Builder b = PreferenceLoss.builder().type(type).beta(beta);
    if (type == PreferenceLossType.EXO_PAIR) {
      b.labelSmoothing(1e-3);
    } else if (type.usesLabelSmoothing()) {
      b.labelSmoothing(0.1);
    }
    return b.build();
  }
}
