package org.align4j.optimizers.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference log-prob cache: reused when data and reference match, recomputed when either changes. */
class ReferenceCacheTest {

  private static final double BETA = 0.1;

  @TempDir Path dir;

  @Test
  void secondRunReadsTheCacheAndChangedDataInvalidatesIt() throws IOException {
    Path cache = dir.resolve("ref.bin");
    Dataset<PreferencePair> data = PreferenceTasks.pairs("train", 4, 1);
    DpoConfig config = DpoConfig.builder().batchSize(4).maxSteps(1).referenceCache(cache).build();

    DpoResult first = new DpoTrainer(config).train(PreferenceTasks.model(3), PreferenceTasks.model(3), data, null);
    assertThat(first.referenceFromCache()).isFalse();
    assertThat(cache).exists();

    // Shift the cached chosen values by one nat under the same key: a run that reads the file sees the shift.
    TransformerLm reference = PreferenceTasks.model(3);
    List<EncodedPair> pairs = PairEncoding.of(data, ByteTokenizer.INSTANCE, PreferenceTasks.CONTEXT).pairs();
    String key = ReferenceCache.key(reference, pairs);
    ResponseLogProbs stored = ReferenceCache.read(cache, key, pairs.size()).orElseThrow();
    double[] shifted = stored.chosen().clone();
    for (int i = 0; i < shifted.length; i++) {
      shifted[i] += 1.0;
    }
    ReferenceCache.write(cache, key, new ResponseLogProbs(shifted, stored.rejected()));

    DpoResult second = new DpoTrainer(config).train(PreferenceTasks.model(3), reference, data, null);
    assertThat(second.referenceFromCache()).isTrue();
    assertThat(second.history().get(0).preference().rewardsChosen())
        .isCloseTo(first.history().get(0).preference().rewardsChosen() - BETA, within(1e-9));

    List<PreferencePair> more = new ArrayList<>(data.toList());
    more.add(new PreferencePair("extra", "abc:", "yesxy", "no!xy"));
    DpoResult third = new DpoTrainer(config).train(PreferenceTasks.model(3), reference,
        Dataset.of("train", more), null);
    assertThat(third.referenceFromCache()).isFalse();
    assertThat(third.history().get(0).preference().rewardsChosen()).isCloseTo(0, within(1e-5));
    assertThat(Files.size(cache)).isGreaterThan(0);
  }

  @Test
  void keyFollowsTheReferenceWeightsAndTheTokensNotTheCreationTime() {
    List<EncodedPair> pairs = PairEncoding.of(PreferenceTasks.pairs("t", 3, 1), ByteTokenizer.INSTANCE,
        PreferenceTasks.CONTEXT).pairs();
    List<EncodedPair> others = PairEncoding.of(PreferenceTasks.pairs("t", 3, 2), ByteTokenizer.INSTANCE,
        PreferenceTasks.CONTEXT).pairs();
    TransformerLm a = PreferenceTasks.model(3);
    TransformerLm sameWeights = PreferenceTasks.model(3);
    TransformerLm perturbed = a.copy();
    perturbed.weights().get("lnf.b").addi(1e-3);
    String key = ReferenceCache.key(a, pairs);
    assertThat(key).hasSize(64);
    assertThat(ReferenceCache.key(sameWeights, pairs)).isEqualTo(key);
    assertThat(ReferenceCache.key(perturbed, pairs)).isNotEqualTo(key);
    assertThat(ReferenceCache.key(a, others)).isNotEqualTo(key);
    assertThat(ReferenceCache.key(a.withProvenance(a.provenance().withStage(
        org.align4j.core.provenance.TrainingStage.of("sft", "x", "", java.util.Map.of(), 5, 0))), pairs))
        .isNotEqualTo(key);
  }

  @Test
  void unreadableOrForeignFilesAreIgnored() throws IOException {
    Path file = dir.resolve("junk.bin");
    Files.writeString(file, "not a cache");
    assertThat(ReferenceCache.read(file, "k", 1)).isEmpty();
    assertThat(ReferenceCache.read(dir.resolve("missing.bin"), "k", 1)).isEmpty();
    ReferenceCache.write(file, "k", new ResponseLogProbs(new double[] {-1.5}, new double[] {-2.5}));
    assertThat(ReferenceCache.read(file, "other", 1)).isEmpty();
    assertThat(ReferenceCache.read(file, "k", 2)).isEmpty();
    ResponseLogProbs back = ReferenceCache.read(file, "k", 1).orElseThrow();
    assertThat(back.chosen()).containsExactly(-1.5);
    assertThat(back.rejected()).containsExactly(-2.5);
  }
}
