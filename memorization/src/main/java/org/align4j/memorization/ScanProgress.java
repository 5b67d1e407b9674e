package org.align4j.memorization;

/**
 * A progress report of a running scan.
 *
 * @param examplesRead examples read so far
 * @param scanned examples audited so far
 * @param skipped examples skipped so far (too short)
 * @param memorized memorized examples so far
 * @param elapsedSeconds seconds since the scan started
 * @param examplesPerSecond examples read per second
 * @param generatedTokensPerSecond tokens generated per second by the audited model
 * @param expectedExamples the expected number of examples, or -1 when unknown
 * @param etaSeconds estimated seconds left, or -1 when unknown
 * @param finished whether this is the final report
 */
public record ScanProgress(
    long examplesRead, long scanned, long skipped, long memorized, double elapsedSeconds,
    double examplesPerSecond, double generatedTokensPerSecond, long expectedExamples, double etaSeconds,
    boolean finished) {}
