package org.align4j.rewardmodel.scoring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The identity of a reward model: {@code sha256:} and the SHA-256 (through {@link DataFingerprint}) of its
 * architecture and every weight, the head included. Two reward models with the same fingerprint give the same
 * rewards; saving and loading a checkpoint keeps it. A calibration records it to be applied only to its own model.
 */
public final class RewardModelFingerprint {

  private RewardModelFingerprint() {}

  /** The fingerprint of {@code model}. */
  public static String of(TransformerRewardModel model) {
    TransformerLm backbone = model.backbone();
    DataFingerprint.Accumulator acc = DataFingerprint.accumulator("reward-model-weights");
    acc.add(TransformerLm.configMap(backbone.config()).toString());
    TransformerWeights weights = backbone.weights();
    for (String name : TransformerWeights.names(backbone.config())) {
      acc.add(name, encode(weights.get(name)));
    }
    acc.add("head.weight", encode(model.headWeight()));
    acc.add("head.bias", encode(model.headBias()));
    return "sha256:" + acc.hex();
  }

  /** The fingerprint of an ensemble: its aggregation and its members' fingerprints, in order. */
  public static String ofEnsemble(String aggregation, List<String> memberIds) {
    DataFingerprint.Accumulator acc = DataFingerprint.accumulator("reward-model-ensemble");
    acc.add(aggregation);
    memberIds.forEach(acc::add);
    return "sha256:" + acc.hex();
  }

  private static String encode(INDArray array) {
    float[] values = array.castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length + 8 * array.rank()).order(ByteOrder.BIG_ENDIAN);
    for (long d : array.shape()) {
      bytes.putLong(d);
    }
    for (float v : values) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
