package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;

/**
 * A constant KL coefficient (TRL's PPO default 0.05; OpenRLHF without a target).
 *
 * @param coefficient the coefficient, >= 0
 */
public record FixedKlController(double coefficient) implements KlController {

  /** Validates the coefficient. */
  public FixedKlController {
    Args.finite("coefficient", Args.nonNegative("coefficient", coefficient));
  }

  /** Returns this controller: the coefficient never changes. */
  @Override
  public KlController update(double observedKl, long steps) {
    Args.finite("observedKl", observedKl);
    Args.nonNegative("steps", steps);
    return this;
  }
}
