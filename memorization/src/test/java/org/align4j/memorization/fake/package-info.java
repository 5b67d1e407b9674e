/** Deterministic fake tokenizer and language model for fast tests. */
package org.align4j.memorization.fake;
