/**
 * Membership inference: per-example scores from a model's token log-probabilities (loss, zlib ratio,
 * reference-model difference, Min-K% probability) and their evaluation on known members and non-members (ROC
 * curve, AUC, true-positive rate at low false-positive rates).
 */
package org.align4j.memorization.inference;
