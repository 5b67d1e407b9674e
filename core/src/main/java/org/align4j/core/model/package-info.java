/**
 * The {@link org.align4j.core.model.LanguageModel} interface, generation settings, and the transformer
 * ({@link org.align4j.core.model.TransformerLm}, its {@link org.align4j.core.model.TransformerConfig} and
 * {@link org.align4j.core.model.TransformerWeights}). The training passes and the SameDiff graph are engine internals
 * in {@code org.align4j.core.model.internal}, which is not API.
 */
package org.align4j.core.model;
