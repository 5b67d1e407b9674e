package org.align4j.optimizers.preference;

/**
 * The metrics TRL logs for a DPO batch. The implicit rewards are {@code β(policy - reference)} log-probabilities
 * of each completion.
 *
 * @param rewardsChosen mean implicit reward of the chosen completions ({@code rewards/chosen})
 * @param rewardsRejected mean implicit reward of the rejected completions ({@code rewards/rejected})
 * @param accuracy fraction of pairs whose chosen reward is strictly greater; ties count as wrong
 *     ({@code rewards/accuracies})
 * @param margin mean of chosen minus rejected reward ({@code rewards/margins})
 * @param logpsChosen mean policy log-probability of the chosen completions ({@code logps/chosen})
 * @param logpsRejected mean policy log-probability of the rejected completions ({@code logps/rejected})
 */
public record DpoMetrics(
    double rewardsChosen,
    double rewardsRejected,
    double accuracy,
    double margin,
    double logpsChosen,
    double logpsRejected) {}
