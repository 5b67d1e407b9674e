package org.align4j.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;

/**
 * A tiny transformer trained briefly on a few texts, saved as a checkpoint, and a few hundred seeded examples
 * (the trained texts among them; some too short to audit; two metadata keys, one with too many values to break
 * down; membership labels).
 */
final class AuditFixture {

  static final int EXAMPLES = 200;
  static final int TRAINED = 12;
  private static final String[] WORDS = {"def", "return", "value", "x", "self", "print", "range", "import", "os",
      "key", "=", "(", ")", ":", "+", "42", "data", "user", "id", "name"};

  final List<TextExample> examples;
  final TransformerLm model;
  final Path checkpoint;

  private AuditFixture(List<TextExample> examples, TransformerLm model, Path checkpoint) {
    this.examples = examples;
    this.model = model;
    this.checkpoint = checkpoint;
  }

  private static AuditFixture shared;
  private static AuditReport scan;

  /** The fixture, built once per test JVM in a temporary directory. */
  static synchronized AuditFixture shared() {
    if (shared == null) {
      try {
        shared = create(Files.createTempDirectory("align4j-beam-fixture"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** {@code Auditor.scan} of the shared fixture with {@link #config()}'s settings. */
  static synchronized AuditReport scan() {
    if (scan == null) {
      scan = Auditor.builder().prefixTokens(8).suffixTokens(16).threshold(0.5).batchSize(16).build()
          .scan(shared().model, Dataset.of("fixture", shared().examples));
    }
    return scan;
  }

  static AuditFixture create(Path dir) {
    SplittableRandom random = new SplittableRandom(7);
    List<TextExample> examples = new ArrayList<>();
    for (int i = 0; i < EXAMPLES; i++) {
      StringBuilder text = new StringBuilder();
      if (i % 50 == 49) {
        text.append("too short");
      } else {
        while (text.length() < 40) {
          text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
      }
      examples.add(new TextExample(String.format("e%03d", i), text.toString().trim(), Map.of(
          "member", i < TRAINED || i % 3 == 0, "lang", i % 3 == 0 ? "py" : i % 3 == 1 ? "java" : "sql",
          "uid", i)));
    }
    TransformerLm model = TransformerLm.create(TinyModels.config(32), ByteTokenizer.INSTANCE, 5);
    new SftTrainer(SftConfig.builder().batchSize(TRAINED).maxSteps(120).learningRate(2e-2).warmupSteps(5)
        .weightDecay(0).seed(5).build()).train(model, Dataset.of("trained", examples.subList(0, TRAINED)));
    Path checkpoint = dir.resolve("model.zip");
    Checkpoints.save(model, checkpoint);
    return new AuditFixture(List.copyOf(examples), model, checkpoint);
  }

  /** The audit's settings: windows fit the tiny model's context; a loose threshold gives a mix of flags. */
  static AuditConfig config() {
    return Auditor.builder().prefixTokens(8).suffixTokens(16).threshold(0.5).batchSize(16).build().config();
  }
}
