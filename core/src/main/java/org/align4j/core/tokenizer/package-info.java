/**
 * Tokenizers: {@link org.align4j.core.tokenizer.ByteTokenizer} (one token per UTF-8 byte) and trainable byte-level
 * BPE ({@link org.align4j.core.tokenizer.BpeTrainer}, {@link org.align4j.core.tokenizer.BpeTokenizer}), with JSON
 * persistence in {@link org.align4j.core.tokenizer.Tokenizers}. Every tokenizer round-trips any valid Unicode text
 * exactly and decodes any id sequence without failing on invalid UTF-8.
 */
package org.align4j.core.tokenizer;
