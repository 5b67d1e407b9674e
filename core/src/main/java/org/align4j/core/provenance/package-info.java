/** Provenance of trained models and results: configuration, data hash, seed, steps and library version. */
package org.align4j.core.provenance;
