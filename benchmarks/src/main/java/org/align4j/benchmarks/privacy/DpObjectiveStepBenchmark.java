package org.align4j.benchmarks.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpSgd;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleLoss;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.AdamW;
import org.align4j.optimizers.dpo.PolicyPair;
import org.align4j.optimizers.dpo.PreferencePairLoss;
import org.align4j.optimizers.ppo.PolicyRolloutLoss;
import org.align4j.optimizers.ppo.PpoConfig;
import org.align4j.optimizers.ppo.PpoSession;
import org.align4j.optimizers.ppo.RolloutGroup;
import org.align4j.optimizers.preference.PreferenceLoss;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.rewardmodel.train.BradleyTerryPairLoss;
import org.align4j.rewardmodel.train.RewardPair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

/**
 * Question: what does a DP-SGD step cost for the objectives other than SFT? One step (per-example gradients, flat
 * clipping, noise, AdamW) of the reward model's Bradley-Terry pair loss (16 pairs), DPO's pair loss (16 pairs) and
 * PPO's rollout loss with a value head (16 prompts of one completion), each sequence 32 tokens, on
 * {@link DpSgdStepBenchmark}'s model, by the gradient path named in {@code path}; the baseline is the SameDiff loop
 * of one-example micro-batches ({@code LOOP}) in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.nd4j.log.initialization=false"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class DpObjectiveStepBenchmark {

  private static final int PAIRS = 16;
  private static final int SEQ = DpSgdStepBenchmark.SEQ;
  private static final String HEAD = "rm_head";

  /** The gradient path, a {@link GradientPath} name. */
  @Param({"BACKPROP", "LOOP"})
  public String path;

  /** The objective: reward, dpo or ppo. */
  @Param({"reward", "dpo", "ppo"})
  public String objective;

  private DpSgd<?> engine;
  private List<?> batch;

  /** Builds the model, the batch and the engine. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(3);
    TransformerLm model = TransformerLm.create(DpSgdStepBenchmark.CONFIG, ByteTokenizer.INSTANCE, 1);
    int d = model.config().dModel();
    switch (objective) {
      case "reward" -> {
        List<RewardPair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
          pairs.add(new RewardPair(text(random, SEQ), text(random, SEQ - 4), 0));
        }
        Map<String, INDArray> head = Map.of(HEAD, Nd4j.rand(DataType.FLOAT, d, 1).subi(0.5));
        engine = engine(model, head, new BradleyTerryPairLoss(HEAD), SEQ);
        batch = pairs;
      }
      case "dpo" -> {
        List<PolicyPair> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
          pairs.add(new PolicyPair(text(random, SEQ + 1), text(random, SEQ - 3), 8, -40 * random.nextDouble(),
              -40 * random.nextDouble()));
        }
        engine = engine(model, Map.of(), new PreferencePairLoss(PreferenceLoss.builder().build()), SEQ);
        batch = pairs;
      }
      case "ppo" -> {
        PpoConfig ppo = PpoConfig.builder().samplesPerPrompt(1).build();
        List<RolloutGroup> groups = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
          int[] response = text(random, SEQ - 8);
          double[][] logp = {values(random, response.length, -3)};
          groups.add(new RolloutGroup(text(random, 9), List.of(response), logp, new double[][] {
              values(random, response.length, 1)}, new double[][] {values(random, response.length, 1)},
              new double[][] {values(random, response.length, 1)}));
        }
        Map<String, INDArray> head = Map.of(PpoSession.VALUE_WEIGHT, Nd4j.rand(DataType.FLOAT, d, 1).subi(0.5));
        engine = engine(model, head, new PolicyRolloutLoss(ppo,
            SamplingLogProbs.of(ByteTokenizer.INSTANCE, model.config().vocabSize(), ppo.temperature())), SEQ);
        batch = groups;
      }
      default -> throw new IllegalArgumentException("objective " + objective);
    }
  }

  private <E> DpSgd<E> engine(TransformerLm model, Map<String, INDArray> extra, PerExampleLoss<E> loss, int seqLen) {
    Map<String, INDArray> parameters = new java.util.LinkedHashMap<>(model.weights().asMap());
    parameters.putAll(extra);
    return new DpSgd<>(GradientPath.valueOf(path).build(model.weights(), extra, loss, seqLen, PAIRS, false), parameters, DpSgd.Settings.of(1.0, 1.0, ClippingMode.FLAT, PAIRS, 7),
        new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays));
  }

  private static int[] text(SplittableRandom random, int length) {
    int[] tokens = new int[length];
    tokens[0] = ByteTokenizer.INSTANCE.bosId();
    for (int t = 1; t < length; t++) {
      tokens[t] = 'a' + random.nextInt(26);
    }
    return tokens;
  }

  private static double[] values(SplittableRandom random, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * random.nextDouble();
    }
    return v;
  }

  /** One DP-SGD step of the objective. */
  @Benchmark
  @SuppressWarnings({"unchecked", "rawtypes"})
  public double dpStep() {
    return ((DpSgd) engine).step(batch, 1e-4).normSum();
  }
}
