/** Tokenizers: byte-level and trainable byte-level BPE, with JSON persistence. */
package org.align4j.core.tokenizer;
