/**
 * Preference pairs made by a policy and a reward: K seeded samples per prompt, the best- and the worst-scored kept
 * as a chosen and a rejected response (for DPO on a reward model's, or a calibrated reward's, preferences).
 */
package org.align4j.rewardmodel.pairs;
