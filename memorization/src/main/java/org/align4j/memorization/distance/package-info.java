/**
 * Edit distances: bit-parallel Levenshtein distance (Myers 1999, in Hyyro's 2003 formulation) over token-id arrays
 * and strings, single-word and multi-word (blocks), a thresholded variant with early exit, normalisation, and an
 * alignment for marking differences.
 */
package org.align4j.memorization.distance;
