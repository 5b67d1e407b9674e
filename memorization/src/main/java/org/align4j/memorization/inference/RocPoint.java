package org.align4j.memorization.inference;

/**
 * One point of a ROC curve.
 *
 * @param threshold the score at or above which examples are called members
 * @param fpr false-positive rate (non-members called members)
 * @param tpr true-positive rate (members called members)
 */
public record RocPoint(double threshold, double fpr, double tpr) {}
