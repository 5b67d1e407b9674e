package org.align4j.core.dp;

/** How each example's gradient is clipped. */
public enum ClippingMode {
  /** One bound C on the L2 norm of the example's whole gradient (all parameters together). */
  FLAT,
  /**
   * One bound per layer: the parameters are grouped by layer (the weight name up to its first dot: {@code tok_emb},
   * {@code pos_emb}, {@code l0}, {@code l1}, ..., {@code lnf}, and each extra head by its own name) and group g is
   * clipped to {@code C_g = C / sqrt(G)} for G groups, so that {@code sum_g C_g^2 = C^2}: the example's whole
   * gradient still has norm at most C and the same noise calibration applies.
   */
  PER_LAYER
}
