package org.align4j.benchmarks.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TokenCrossEntropy;
import org.align4j.core.model.internal.TransformerBackprop;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.AdamW;
import org.align4j.core.train.GradientClipping;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpSgd;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.SequenceNllLoss;
import org.align4j.core.dp.TokenSequence;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does privacy cost per training step? One DP-SGD step (per-example gradients, flat clipping,
 * noise, AdamW) on a batch of 16 sequences of 32 tokens with a d_model 64, 2-layer, 4-head byte-level transformer,
 * by the loop of one-example micro-batches and by one hand-written pass with per-example clipping
 * ({@link GradientPath#BACKPROP}), against two baselines: a non-private step
 * (one full-batch gradient of the same mean loss, global-norm clipping, AdamW) on the same model and batch through
 * the same SameDiff graph, and the same step through {@link TransformerBackprop}'s hand-written passes (what
 * {@code SftTrainer} runs). Target: a DP step within 2x of the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.nd4j.log.initialization=false"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class DpSgdStepBenchmark {

  static final TransformerConfig CONFIG = TransformerConfig.builder()
      .vocabSize(ByteTokenizer.INSTANCE.vocabSize()).contextLength(32).dModel(64).heads(4).layers(2).mlpRatio(4)
      .build();
  static final int BATCH = 16;
  static final int SEQ = 32;
  static final double LR = 1e-4;

  private List<TokenSequence> batch;
  private DpSgd<TokenSequence> loop;
  private DpSgd<TokenSequence> handWritten;
  private TransformerLm plainModel;
  private TransformerGraph plainGraph;
  private Map<String, INDArray> plainInputs;
  private AdamW plainOptimizer;
  private TransformerLm backpropModel;
  private TransformerBackprop backprop;
  private int[][] backpropTokens;
  private int[] backpropTargets;
  private float[] backpropWeights;
  private AdamW backpropOptimizer;

  /** Builds a copy of the model per contender, the batch and the graphs. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      int[] tokens = new int[SEQ + 1];
      tokens[0] = ByteTokenizer.INSTANCE.bosId();
      for (int t = 1; t <= SEQ; t++) {
        tokens[t] = 'a' + random.nextInt(26);
      }
      batch.add(new TokenSequence(tokens, 1));
    }
    loop = engine(GradientPath.LOOP);
    handWritten = engine(GradientPath.BACKPROP);

    plainModel = TransformerLm.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    plainGraph = TransformerGraph.create(plainModel.weights(), SEQ, false);
    SameDiff sd = plainGraph.sameDiff();
    SDVariable targets = sd.placeHolder("targets", DataType.INT, -1, SEQ);
    SDVariable weights = sd.placeHolder("weights", DataType.FLOAT, -1, SEQ);
    SDVariable loss = sd.sum(plainGraph.tokenLogProbs(targets).mul(weights)).neg().div(BATCH).rename("loss");
    sd.setLossVariables(loss);
    plainInputs = new SequenceNllLoss().placeholders(batch, BATCH, SEQ);
    plainOptimizer = new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays);

    backpropModel = TransformerLm.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    backprop = new TransformerBackprop(backpropModel.weights());
    backpropTokens = plainInputs.get("tokens").toIntMatrix();
    backpropTargets = plainInputs.get("targets").reshape(-1).toIntVector();
    backpropWeights = plainInputs.get("weights").reshape(-1).div(BATCH).toFloatVector();
    backpropOptimizer = new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays);
  }

  private DpSgd<TokenSequence> engine(GradientPath path) {
    TransformerLm model = TransformerLm.create(CONFIG, ByteTokenizer.INSTANCE, 1);
    return new DpSgd<>(
        path.build(model.weights(), Map.of(), new SequenceNllLoss(), SEQ, BATCH, false),
        model.weights().asMap(), DpSgd.Settings.of(1.0, 1.0, ClippingMode.FLAT, BATCH, 7),
        new AdamW(AdamW.Config.withWeightDecay(0.01), TransformerWeights::decays));
  }

  /** Baseline: a non-private step on the same batch. */
  @Benchmark
  public double nonPrivateStep() {
    TransformerGraph.Gradients g = plainGraph.gradients(plainInputs, "loss");
    double norm = GradientClipping.clipByGlobalNorm(g.byWeight(), 1.0);
    plainOptimizer.update(plainModel.weights().asMap(), g.byWeight(), LR);
    return norm;
  }

  /** Baseline: the same non-private step through the hand-written forward and backward passes. */
  @Benchmark
  public double nonPrivateBackpropStep() {
    TransformerBackprop.Step step = backprop.gradients(backpropTokens, false, pass -> {
      TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), backpropTargets, backpropWeights);
      return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
    });
    double norm = GradientClipping.clipByGlobalNorm(step.gradients(), 1.0);
    backpropOptimizer.update(backpropModel.weights().asMap(), step.gradients(), LR);
    return norm;
  }

  /** Contender: a DP-SGD step with one hand-written pass and per-example clipping ({@link GradientPath#BACKPROP}). */
  @Benchmark
  public double dpStepBackprop() {
    return handWritten.step(batch, LR).normSum();
  }

  /** Contender: a DP-SGD step with the loop of one-example micro-batches. */
  @Benchmark
  public double dpStepLoop() {
    return loop.step(batch, LR).normSum();
  }
}
