package org.align4j.core.privacy;

/** How an RDP curve becomes an (epsilon, delta) guarantee. */
public enum RdpConversion {

  /**
   * Balle, Barthe, Gaboardi, Hsu and Sato (2020), as in Opacus:
   * {@code eps = min_a [RDP(a) + log((a-1)/a) - (log(delta) + log(a)) / (a-1)]}.
   */
  IMPROVED,

  /** Mironov (2017): {@code eps = min_a [RDP(a) - log(delta) / (a-1)]}. */
  CLASSIC;

  /** Epsilon at order {@code a} with RDP value {@code rdp} and {@code log(delta)}. */
  double epsilon(double a, double rdp, double logDelta) {
    return switch (this) {
      case IMPROVED -> rdp + Math.log1p(-1 / a) - (logDelta + Math.log(a)) / (a - 1);
      case CLASSIC -> rdp - logDelta / (a - 1);
    };
  }

  /** {@code log(delta)} at order {@code a} with RDP value {@code rdp} and {@code epsilon}; the inverse of the above. */
  double logDelta(double a, double rdp, double epsilon) {
    return switch (this) {
      case IMPROVED -> (a - 1) * (rdp - epsilon + Math.log1p(-1 / a)) - Math.log(a);
      case CLASSIC -> (a - 1) * (rdp - epsilon);
    };
  }
}
