/**
 * The parts of an {@link org.align4j.memorization.AuditReport}: its summary (rates with Wilson intervals, by
 * metadata group), provenance, JSON form, and the self-contained HTML page.
 */
package org.align4j.memorization.report;
