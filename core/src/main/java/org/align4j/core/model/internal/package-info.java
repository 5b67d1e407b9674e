/**
 * Engine internals of the transformer shared by align4j's modules: the hand-written forward and backward passes
 * ({@link org.align4j.core.model.internal.TransformerBackprop}), the SameDiff graph for losses that need autodiff
 * ({@link org.align4j.core.model.internal.TransformerGraph}), per-example clipping inside the backward pass, the
 * token cross-entropy and the dense-layer, embedding, layer-norm and workspace helpers the inference passes share.
 *
 * <p><b>Not API.</b> These types are public only so that align4j's other modules (optimizers, rewardmodel,
 * benchmarks) can reach them; they may change or disappear in any release without notice and carry no
 * compatibility promise. Users train and run models through {@link org.align4j.core.model.TransformerLm} and the
 * trainers.
 */
package org.align4j.core.model.internal;
