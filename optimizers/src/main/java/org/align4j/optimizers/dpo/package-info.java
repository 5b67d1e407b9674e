/**
 * Direct preference optimisation: {@link org.align4j.optimizers.dpo.DpoTrainer} trains a
 * {@link org.align4j.core.model.TransformerLm} policy on preference pairs with any SameDiff-capable loss of
 * {@link org.align4j.optimizers.preference.PreferenceLoss} (DPO, IPO, hinge, ...), against reference log-probabilities
 * computed once before training (and optionally cached on disk); with privacy settings it trains by DP-SGD with
 * pair-level privacy ({@link org.align4j.optimizers.dpo.PreferencePairLoss}, the loss of one
 * {@link org.align4j.optimizers.dpo.PolicyPair}).
 */
package org.align4j.optimizers.dpo;
