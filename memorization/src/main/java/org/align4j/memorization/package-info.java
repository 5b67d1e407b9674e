/**
 * The memorization auditor: {@link org.align4j.memorization.Auditor#scan} prompts a language model with the start
 * of each example and measures how closely its greedy continuation reproduces the rest (discoverable
 * memorization), optionally against a control model (counterfactual memorization), by sampling (extraction
 * probability) and with membership-inference scores; the result is an immutable
 * {@link org.align4j.memorization.AuditReport} with JSON and HTML forms and stage-to-stage comparison.
 */
package org.align4j.memorization;
