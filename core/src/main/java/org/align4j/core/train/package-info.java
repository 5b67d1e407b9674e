/**
 * Training: the loop every trainer runs ({@link org.align4j.core.train.TrainingLoop}: batch sampling, schedule,
 * AdamW, clipping, evaluation and early stopping, listeners, cancellation, divergence detection), supervised
 * fine-tuning ({@link org.align4j.core.train.SftTrainer}), and training listeners (progress bar, metrics history).
 */
package org.align4j.core.train;
