package org.align4j.benchmarks.memorization;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.ConfiguredAuditor;
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
 * Question: how many examples per second does {@code Auditor.scan} audit on a model of real size? A
 * GPT-2-small-shaped model (124M parameters, random weights: vocabulary 50,257, context 1,024, d_model 768, 12
 * layers, 12 heads, GELU tanh, tied output), {@value #EXAMPLES} examples, each a 32-token prefix (after BOS) and a
 * 48-token suffix, the auditor's default batches of 16, one worker thread; with and without the membership-score
 * pass. Examples/s = {@value #EXAMPLES} / time. The peer is {@code tools/torch_audit_peer.py}, the same greedy
 * decoding in PyTorch (its figure compares with {@code membershipScores = false}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G",
    "-Dorg.nd4j.log.initialization=false"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class AuditScanBenchmark {

  static final int EXAMPLES = 32;
  static final TransformerConfig GPT2_SMALL = TransformerConfig.builder().vocabSize(50_257).contextLength(1024)
      .dModel(768).heads(12).layers(12).mlpRatio(4).architecture(Architecture.gpt2(1e-5)).build();

  @Param({"false", "true"})
  public boolean membershipScores;

  private TransformerLm model;
  private Dataset<TextExample> data;
  private ConfiguredAuditor auditor;

  /** Builds the model (about 500 MB of weights), the examples and the auditor. */
  @Setup(Level.Trial)
  public void setUp() {
    model = TransformerLm.create(GPT2_SMALL, new CharTokenizer(GPT2_SMALL.vocabSize()), 1);
    SplittableRandom random = new SplittableRandom(3);
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < EXAMPLES; i++) {
      StringBuilder text = new StringBuilder();
      for (int t = 0; t < 32 + 48; t++) {
        text.appendCodePoint(0x4E00 + random.nextInt(20_000));
      }
      examples.add(new TextExample("e" + i, text.toString()));
    }
    data = Dataset.of("random", examples);
    auditor = Auditor.builder().membershipScores(membershipScores).build();
  }

  /** One scan of every example. */
  @Benchmark
  public AuditReport scan() {
    return auditor.scan(model, data);
  }

  /**
   * One token per code point (id 3 + code point modulo the rest of the vocabulary; 0, 1, 2 are BOS, EOS, PAD): a
   * stand-in for GPT-2's tokenizer with its vocabulary size, so that every example has exactly the token counts
   * asked for.
   */
  static final class CharTokenizer implements Tokenizer {

    private final int vocab;

    CharTokenizer(int vocab) {
      this.vocab = vocab;
    }

    @Override
    public int vocabSize() {
      return vocab;
    }

    @Override
    public int bosId() {
      return 0;
    }

    @Override
    public int eosId() {
      return 1;
    }

    @Override
    public int padId() {
      return 2;
    }

    @Override
    public int[] encode(String text) {
      return text.codePoints().map(c -> 3 + c % (vocab - 3)).toArray();
    }

    @Override
    public String decode(int[] ids) {
      StringBuilder out = new StringBuilder();
      for (int id : ids) {
        if (!isSpecial(id)) {
          out.appendCodePoint(id - 3);
        }
      }
      return out.toString();
    }

    @Override
    public String toJson() {
      return "{\"type\":\"benchmark-chars\",\"vocab\":" + vocab + "}";
    }
  }
}
