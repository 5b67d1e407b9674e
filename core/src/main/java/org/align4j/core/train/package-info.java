/**
 * Training: supervised fine-tuning ({@link org.align4j.core.train.SftTrainer}), AdamW, learning-rate schedule,
 * gradient clipping, and training listeners (progress bar, metrics history).
 */
package org.align4j.core.train;
