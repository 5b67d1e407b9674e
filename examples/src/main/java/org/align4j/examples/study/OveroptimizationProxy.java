package org.align4j.examples.study;

/**
 * One trained proxy reward model.
 *
 * @param name {@code proxy-N} for the proxy of N pairs, {@code member-i} for the further ensemble members
 * @param pairs gold-labelled pairs it trained on
 * @param heldOutAccuracy how often it orders held-out pairs of SFT samples as the gold reward does
 * @param seconds training time
 */
public record OveroptimizationProxy(String name, int pairs, double heldOutAccuracy, double seconds) {}
