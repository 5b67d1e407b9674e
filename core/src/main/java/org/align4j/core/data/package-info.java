/**
 * Examples and streaming data sets: the {@link org.align4j.core.data.TextExample} and
 * {@link org.align4j.core.data.PreferencePair} records, lazy JSON Lines IO
 * ({@link org.align4j.core.data.JsonlDatasets}), source-code corpora from directories, zips and jars
 * ({@link org.align4j.core.data.SourceCorpus}), seeded split, shuffle and sampling
 * ({@link org.align4j.core.data.Datasets}), and the one data fingerprint ({@link org.align4j.core.data.DataFingerprint}). Malformed input raises a
 * {@link org.align4j.core.data.DataFormatException} naming the file and line.
 */
package org.align4j.core.data;
