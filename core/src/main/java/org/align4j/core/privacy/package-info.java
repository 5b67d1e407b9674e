/**
 * Differential-privacy accounting for DP-SGD-style training: the history of a run of the Poisson-subsampled
 * Gaussian mechanism ({@link org.align4j.core.privacy.PrivacyAccountant}) and its (epsilon, delta) under
 * Rényi DP ({@link org.align4j.core.privacy.RdpAccountant}, matching Opacus) or tight privacy loss
 * distributions ({@link org.align4j.core.privacy.PldAccountant}, matching Google's dp_accounting); noise
 * calibration for a target epsilon ({@link org.align4j.core.privacy.NoiseCalibration}); and the budget of a
 * multi-stage pipeline ({@link org.align4j.core.privacy.PrivacyLedger}), planned in advance by
 * {@link org.align4j.core.privacy.PrivacyPlanner}.
 */
package org.align4j.core.privacy;
