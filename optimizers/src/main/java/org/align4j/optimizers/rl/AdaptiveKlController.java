package org.align4j.optimizers.rl;

import org.align4j.core.util.Args;

/**
 * The adaptive KL controller of Ziegler et al. (2019), as in TRL v0.11 and OpenRLHF: after each batch,
 * {@code e = clip(KL/target - 1, -0.2, 0.2)} and {@code β ← β·(1 + e·steps/horizon)}.
 *
 * @param coefficient the current coefficient β > 0 (TRL: 0.2 initially; OpenRLHF: 0.01)
 * @param target the target KL > 0 (TRL: 6)
 * @param horizon the horizon in samples > 0 (10000)
 */
public record AdaptiveKlController(double coefficient, double target, double horizon) implements KlController {

  /** Validates the parameters. */
  public AdaptiveKlController {
    Args.finite("coefficient", Args.positive("coefficient", coefficient));
    Args.finite("target", Args.positive("target", target));
    Args.finite("horizon", Args.positive("horizon", horizon));
  }

  @Override
  public AdaptiveKlController update(double observedKl, long steps) {
    Args.finite("observedKl", observedKl);
    Args.nonNegative("steps", steps);
    double error = Math.max(-0.2, Math.min(0.2, observedKl / target - 1));
    return new AdaptiveKlController(coefficient * (1 + error * steps / horizon), target, horizon);
  }
}
