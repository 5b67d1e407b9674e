/** Checkpoints: a model's configuration, weights, tokenizer and provenance in one directory or zip file. */
package org.align4j.core.checkpoint;
