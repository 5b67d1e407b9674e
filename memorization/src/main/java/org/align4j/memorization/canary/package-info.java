/**
 * Canaries (Carlini et al. 2019, "The Secret Sharer"): formats with random slots, seeded generation, insertion into
 * a training set a chosen number of times, and exposure by enumeration of small randomness spaces or by
 * skew-normal extrapolation for large ones.
 */
package org.align4j.memorization.canary;
