package org.align4j.beam;

import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.TransformerRewardModel;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reward-model scoring as a Beam transform (the work of {@code align4j score}, on any runner): each
 * {@link RewardRequest} gets the {@link RewardScore} that {@code TransformerRewardModel.score} gives its pair.
 * Each {@code DoFn} instance loads the reward model once, in {@code @Setup}, from a checkpoint saved by
 * {@code TransformerRewardModel.save} (a local path or a file-system URI naming a {@code .zip}, as for
 * {@link AuditTransform}); pairs are scored in batches within each bundle. The input must be in the global window.
 */
public final class RewardScoringTransform
    extends PTransform<PCollection<RewardRequest>, PCollection<RewardScore>> {

  private static final long serialVersionUID = 1L;
  private final CheckpointLocation checkpoint;
  private final int batchSize;

  private RewardScoringTransform(CheckpointLocation checkpoint, int batchSize) {
    this.checkpoint = checkpoint;
    this.batchSize = batchSize;
  }

  /** Scores with the reward model at {@code checkpoint}, 32 pairs per batch. */
  public static RewardScoringTransform of(String checkpoint) {
    return new RewardScoringTransform(new CheckpointLocation(Objects.requireNonNull(checkpoint, "checkpoint")), 32);
  }

  /** A copy scoring {@code n} pairs per batch. */
  public RewardScoringTransform withBatchSize(int n) {
    return new RewardScoringTransform(checkpoint, Args.positive("batchSize", n));
  }

  /**
   * Builds the scoring; checks first that the checkpoint can be read.
   *
   * @throws IllegalArgumentException naming the URI when the checkpoint cannot be read, or when the input is not
   *     in the global window
   */
  @Override
  public PCollection<RewardScore> expand(PCollection<RewardRequest> input) {
    Args.check(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows,
        "RewardScoringTransform needs its input in the global window");
    checkpoint.check(input.getPipeline().getOptions());
    return input.apply("Score", ParDo.of(new ScoreFn(checkpoint, batchSize)))
        .setCoder(JsonCoder.of(RewardScore.class));
  }

  /** Scores batches with a reward model loaded once per instance. */
  static final class ScoreFn extends BatchingFn<RewardRequest, RewardScore> {
    private static final long serialVersionUID = 1L;
    private final CheckpointLocation checkpoint;
    private final Counter scored = Metrics.counter(RewardScoringTransform.class, "pairsScored");
    private transient TransformerRewardModel model;

    ScoreFn(CheckpointLocation checkpoint, int batchSize) {
      super(batchSize);
      this.checkpoint = checkpoint;
    }

    @Setup
    public void setup() {
      model = checkpoint.load(TransformerRewardModel::load);
    }

    @Teardown
    public void teardown() {
      model = null;
    }

    @Override
    List<RewardScore> process(List<RewardRequest> batch) {
      double[] rewards = model.score(batch.stream().map(RewardRequest::prompt).toList(),
          batch.stream().map(RewardRequest::response).toList());
      scored.inc(batch.size());
      return java.util.stream.IntStream.range(0, batch.size())
          .mapToObj(i -> new RewardScore(batch.get(i).id(), rewards[i])).toList();
    }
  }
}
