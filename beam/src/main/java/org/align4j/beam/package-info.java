/**
 * Apache Beam transforms for audits and scoring beyond one machine: {@link org.align4j.beam.AuditTransform} (a
 * memorization audit whose findings and summary equal {@code Auditor.scan}'s bit for bit: it audits the scan's own
 * batches, formed from each example's position), {@link
 * org.align4j.beam.RewardScoringTransform} (reward-model scores of prompt/response pairs), {@link
 * org.align4j.beam.JsonlInput} (JSONL corpora by file pattern, examples numbered, malformed lines named or
 * dead-lettered), {@link org.align4j.beam.AuditPipeline} (a whole audit: input, transform, sharded findings, HTML and
 * JSON report) and {@link org.align4j.beam.StageAuditPipeline} (the stage audits of the RLHF memorization
 * study). Models load once per {@code DoFn} instance from a checkpoint path or URI; the runner (Direct, Flink,
 * Spark, Dataflow) is the user's choice and not a dependency of this module.
 */
package org.align4j.beam;
