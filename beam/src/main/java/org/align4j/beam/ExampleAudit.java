package org.align4j.beam;

/**
 * What {@link AuditFn} yields per example: its position, the outcome of its batch audit and the example's own
 * SHA-256 (over its id's UTF-8 bytes, a 0 byte, its text's UTF-8 bytes and a 0 byte), which the summary adds up.
 *
 * @param position the example's position in the data set
 * @param finding the finding, or null when the example was too short to audit
 * @param generatedTokens generated tokens this outcome accounts for
 * @param sha256 the example's SHA-256 in hex
 */
record ExampleAudit(long position, org.align4j.memorization.Finding finding, long generatedTokens, String sha256) {}
