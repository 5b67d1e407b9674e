/**
 * Responses sampled from a policy and chosen by a reward: K seeded samples per prompt, the best- and the
 * worst-scored kept as a chosen and a rejected response (for DPO on a reward model's, or a calibrated reward's,
 * preferences), and best-of-n selection with its KL divergence from the sampling distribution.
 */
package org.align4j.rewardmodel.pairs;
