/**
 * Hugging Face checkpoints: the safetensors format ({@link org.align4j.core.hf.SafeTensors}), sharded weight
 * folders, and import and export of GPT-2 and Llama-family models ({@link org.align4j.core.hf.HfCheckpoints}).
 */
package org.align4j.core.hf;
