package org.align4j.core.hf;

import java.util.List;
import java.util.Map;
import org.align4j.core.model.TransformerConfig;

/**
 * One Hugging Face model family: how its {@code config.json} maps to a {@link TransformerConfig}, and its tensors
 * to align4j's weights and back.
 */
interface Family {

  /** The {@code architectures} names this family reads (the first is written on export). */
  List<String> architectures();

  /** The configuration described by {@code config}, with {@code vocabSize} rows in the embedding. */
  TransformerConfig config(HfConfig config);

  /**
   * align4j's weights (name to [rows, cols] row-major values) from the checkpoint's tensors; every tensor must be
   * used or be a known buffer.
   */
  Map<String, float[]> weights(TransformerConfig config, SafeTensorsFolder tensors, String where);

  /** The config.json of {@code config} for export. */
  Map<String, Object> configJson(TransformerConfig config, int bosId, int eosId);

  /** The checkpoint's tensors (float32) for align4j weights {@code weights}. */
  List<Tensor> tensors(TransformerConfig config, Map<String, float[]> weights);
}
