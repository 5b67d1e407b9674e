/**
 * Memorization across the stages of an alignment pipeline: {@link org.align4j.memorization.stages.StageAudit}
 * audits several named models (stages, in order) on several named data splits in one call and returns a
 * {@link org.align4j.memorization.stages.StageAuditResult}: per stage and split the discoverable and
 * counterfactual memorization rates with Wilson intervals, the membership-inference AUC and the PII regurgitation
 * rate, and per pair of stages the transitions (memorized in both, only before, only after, neither) with the
 * retention {@code both / (both + only before)}. The result has a JSON form and one offline HTML page.
 */
package org.align4j.memorization.stages;
