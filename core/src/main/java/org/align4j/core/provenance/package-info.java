/**
 * Provenance of trained models and results: what they are, their configuration and seed, and their history of
 * training stages ({@link org.align4j.core.provenance.TrainingStage}: data name and fingerprint, settings, steps,
 * seed, library version and, for a private stage, the {@link org.align4j.core.provenance.PrivacySpent}).
 */
package org.align4j.core.provenance;
