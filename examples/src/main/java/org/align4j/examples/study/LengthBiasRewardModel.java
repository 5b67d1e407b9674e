package org.align4j.examples.study;

/**
 * The length-biased labels, the reward model trained on them and its calibration, measured on held-out pairs (the
 * better response chosen, lengths uninformative).
 *
 * @param labelGoldAgreement the fraction of training labels that agree with the gold reward
 * @param labelLongerChosen the fraction of training labels that chose the longer response
 * @param rawGoldAccuracy the fraction of held-out pairs the reward model ranks as the gold reward does
 * @param calibratedGoldAccuracy the same with the calibrated reward
 * @param rawLengthSpearman Spearman correlation of the reward with the response length (characters) over the
 *     held-out responses
 * @param calibratedLengthSpearman the same with the calibrated reward
 * @param calibrationPoints responses the calibration (RC-LWR, LOWESS) was fitted on
 */
public record LengthBiasRewardModel(double labelGoldAgreement, double labelLongerChosen, double rawGoldAccuracy,
    double calibratedGoldAccuracy, double rawLengthSpearman, double calibratedLengthSpearman,
    int calibrationPoints) {}
