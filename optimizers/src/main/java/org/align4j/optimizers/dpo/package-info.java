/**
 * Direct preference optimisation: {@link org.align4j.optimizers.dpo.DpoTrainer} trains a
 * {@link org.align4j.core.model.TransformerLm} policy on preference pairs with any SameDiff-capable loss of
 * {@link org.align4j.optimizers.preference.PreferenceLoss} (DPO, IPO, hinge, ...), against reference log-probabilities
 * computed once before training (and optionally cached on disk).
 */
package org.align4j.optimizers.dpo;
