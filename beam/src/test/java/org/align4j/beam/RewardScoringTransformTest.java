package org.align4j.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.model.TinyModels;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RewardScoringTransform} gives the reward model's own scores. */
class RewardScoringTransformTest {

  @TempDir Path dir;

  @Test
  void scoresEqualTheModelsOwn() {
    TransformerRewardModel model = TransformerRewardModel.create(TinyModels.config(32), ByteTokenizer.INSTANCE, 3);
    Path checkpoint = dir.resolve("rm.zip");
    model.save(checkpoint);
    List<RewardRequest> requests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      requests.add(new RewardRequest("r" + i, "prompt " + i % 7, "response " + "xy".repeat(i % 5)));
    }
    double[] expected = model.score(requests.stream().map(RewardRequest::prompt).toList(),
        requests.stream().map(RewardRequest::response).toList());

    Pipeline p = AuditTransformTest.pipeline(2);
    PCollection<RewardScore> scores = p.apply(Create.of(requests).withCoder(JsonCoder.of(RewardRequest.class)))
        .apply(RewardScoringTransform.of(checkpoint.toString()).withBatchSize(8));
    PAssert.that(scores).satisfies(actual -> {
      int n = 0;
      for (RewardScore s : actual) {
        int i = Integer.parseInt(s.id().substring(1));
        // Batched forward passes agree with the full batch's to float rounding.
        assertThat(s.reward()).as(s.id()).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
        n++;
      }
      assertThat(n).isEqualTo(40);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void unreadableCheckpointFailsAtConstruction() {
    Pipeline p = AuditTransformTest.pipeline(1);
    PCollection<RewardRequest> input = p.apply(Create.of(List.of(new RewardRequest("a", "b", "c")))
        .withCoder(JsonCoder.of(RewardRequest.class)));
    String missing = dir.resolve("missing-rm.zip").toString();
    assertThatThrownBy(() -> input.apply(RewardScoringTransform.of(missing)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
  }
}
