package org.align4j.core.privacy;

/**
 * An (epsilon, delta) guarantee obtained from an RDP curve, with the order that attains it.
 *
 * @param epsilon the epsilon (at least 0, possibly infinite)
 * @param delta the delta
 * @param optimalOrder the Rényi order at which the conversion is tightest
 */
public record RdpGuarantee(double epsilon, double delta, double optimalOrder) {}
