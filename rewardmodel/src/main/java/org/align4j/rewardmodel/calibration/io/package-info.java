/**
 * Reward files (CSV or JSONL of scored pairs: rewards and lengths of the chosen and rejected responses) and charts
 * of a calibration.
 */
package org.align4j.rewardmodel.calibration.io;
