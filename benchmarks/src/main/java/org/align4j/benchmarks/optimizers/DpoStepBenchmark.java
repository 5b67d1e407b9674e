package org.align4j.benchmarks.optimizers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftExample;
import org.align4j.core.train.SftTrainer;
import org.align4j.optimizers.dpo.DpoConfig;
import org.align4j.optimizers.dpo.DpoResult;
import org.align4j.optimizers.dpo.DpoTrainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Question: what does a DPO training step cost relative to an SFT step on the same tokens, with the reference
 * log-probabilities cached? Contender: {@link DpoTrainer} on B preference pairs (2B sequences: each pair's chosen
 * and rejected side), its reference cache written once in set-up. Baselines: {@link SftTrainer} on the B chosen
 * sequences (the same pairs' SFT data: about 2x is expected, as DPO runs both sides) and on all 2B sequences
 * (exactly DPO's tokens: about 1x is expected). Every benchmark is a whole training run of {@code steps} steps,
 * graph construction included; {@link #main} runs 1 and 6 steps and reports the per-step cost as the difference
 * divided by 5, and the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.nd4j.log.initialization=false",
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G"})
public class DpoStepBenchmark {

  static final TransformerConfig CONFIG = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
      .contextLength(128).dModel(64).heads(4).layers(2).mlpRatio(4).build();
  static final int PAIRS = 8;
  static final int PROMPT = 32;
  static final int RESPONSE = 64;

  /** Training steps per run. */
  @Param({"1", "6"})
  public int steps;

  private TransformerLm policy;
  private TransformerLm reference;
  private Dataset<PreferencePair> pairs;
  private Dataset<SftExample> chosenOnly;
  private Dataset<SftExample> bothSides;
  private DpoTrainer dpo;
  private SftTrainer sftChosen;
  private SftTrainer sftBoth;

  /** The model, a frozen reference copy, the data in three forms, and the reference cache written once. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    policy = TransformerLm.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    reference = policy.copy();
    SplittableRandom random = new SplittableRandom(1);
    List<PreferencePair> list = new ArrayList<>();
    List<SftExample> chosen = new ArrayList<>();
    List<SftExample> both = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      PreferencePair p = new PreferencePair("p" + i, letters(random, PROMPT), letters(random, RESPONSE),
          letters(random, RESPONSE));
      list.add(p);
      chosen.add(new SftExample(p.prompt(), p.chosen()));
      both.add(new SftExample(p.prompt(), p.chosen()));
      both.add(new SftExample(p.prompt(), p.rejected()));
    }
    pairs = Dataset.of("bench-pairs", list);
    chosenOnly = Dataset.of("bench-chosen", chosen);
    bothSides = Dataset.of("bench-both", both);
    Path dir = Files.createTempDirectory("dpo-bench");
    Path cache = dir.resolve("reference.bin");
    cache.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    dpo = new DpoTrainer(DpoConfig.builder().batchSize(PAIRS).maxSteps(steps).referenceCache(cache).build());
    DpoResult warm = dpo.train(policy.copy(), reference, pairs, null);
    if (warm.referenceFromCache()) {
      throw new IllegalStateException("a fresh cache file was already filled");
    }
    sftChosen = new SftTrainer(SftConfig.builder().batchSize(PAIRS).maxSteps(steps).build());
    sftBoth = new SftTrainer(SftConfig.builder().batchSize(2 * PAIRS).maxSteps(steps).build());
  }

  /** DPO on B pairs (2B sequences), reference log-probabilities read from the cache. */
  @Benchmark
  public Object dpo() {
    DpoResult r = dpo.train(policy, reference, pairs, null);
    if (!r.referenceFromCache()) {
      throw new IllegalStateException("the reference cache was not used");
    }
    return r;
  }

  /** Baseline: SFT on the B chosen sequences. */
  @Benchmark
  public Object sftChosen() {
    return sftChosen.trainOnCompletions(policy, chosenOnly, null);
  }

  /** Baseline: SFT on all 2B sequences (DPO's tokens). */
  @Benchmark
  public Object sftBothSides() {
    return sftBoth.trainOnCompletions(policy, bothSides, null);
  }

  /** Runs every benchmark at 1 and 6 steps and prints per-step costs and the ratios. */
  public static void main(String[] args) throws RunnerException {
    var options = new OptionsBuilder().include(DpoStepBenchmark.class.getSimpleName()).build();
    Map<String, Double> ms = new HashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark();
      ms.put(name.substring(name.lastIndexOf('.') + 1) + "@" + r.getParams().getParam("steps"),
          r.getPrimaryResult().getScore());
    }
    double dpoStep = perStep(ms, "dpo");
    double chosenStep = perStep(ms, "sftChosen");
    double bothStep = perStep(ms, "sftBothSides");
    System.out.printf(Locale.ROOT, "per step: DPO %.1f ms, SFT chosen %.1f ms, SFT both sides %.1f ms%n",
        dpoStep, chosenStep, bothStep);
    System.out.printf(Locale.ROOT, "DPO / SFT on the chosen sequences: %.2fx; DPO / SFT on the same 2B sequences: "
        + "%.2fx%n", dpoStep / chosenStep, dpoStep / bothStep);
  }

  private static double perStep(Map<String, Double> ms, String name) {
    return (ms.get(name + "@6") - ms.get(name + "@1")) / 5;
  }

  private static String letters(SplittableRandom random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }
}
