package org.align4j.examples;

import java.nio.file.Path;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Settings of the quickstart job. The defaults run in a few minutes on two cores.
 *
 * @param seed seed of the corpus, the splits, the models and the scan
 * @param uniqueExamples unique examples of the embedded synthetic code corpus
 * @param heldOutFraction fraction of unique examples never trained on (the non-members)
 * @param auditedFraction fraction of the trained examples that are audited and held out of the control model
 * @param contextLength context of both models (at least prefix + suffix + 1)
 * @param dModel model width
 * @param layers transformer layers
 * @param epochs training epochs of both models
 * @param learningRate peak learning rate
 * @param prefixTokens prompt tokens of the audit
 * @param suffixTokens target tokens of the audit
 * @param outputDir where the models and reports are written
 */
public record QuickstartConfig(
    long seed, int uniqueExamples, double heldOutFraction, double auditedFraction, int contextLength, int dModel,
    int layers, int epochs, double learningRate, int prefixTokens, int suffixTokens, Path outputDir) {

  /** Validates. */
  public QuickstartConfig {
    Args.positive("uniqueExamples", uniqueExamples);
    Args.inOpen("heldOutFraction", heldOutFraction, 0, 1);
    Args.inOpen("auditedFraction", auditedFraction, 0, 1);
    Args.positive("epochs", epochs);
    Args.positive("prefixTokens", prefixTokens);
    Args.positive("suffixTokens", suffixTokens);
    Args.check(contextLength > prefixTokens + suffixTokens,
        "contextLength must exceed prefixTokens + suffixTokens + 1 (BOS), got %s", contextLength);
    Objects.requireNonNull(outputDir, "outputDir");
  }

  /** Where the target model's checkpoint is written: {@code outputDir/target-model}. */
  public Path targetModelPath() {
    return outputDir.resolve("target-model");
  }

  /** Where the control model's checkpoint is written: {@code outputDir/control-model}. */
  public Path controlModelPath() {
    return outputDir.resolve("control-model");
  }

  /** Where the HTML report is written: {@code outputDir/audit.html}. */
  public Path htmlReportPath() {
    return outputDir.resolve("audit.html");
  }

  /** Where the JSON report is written: {@code outputDir/audit.json}. */
  public Path jsonReportPath() {
    return outputDir.resolve("audit.json");
  }

  /** A builder with the quickstart's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link QuickstartConfig}. */
  public static final class Builder {
    private long seed = 7;
    private int uniqueExamples = 192;
    private double heldOutFraction = 0.25;
    private double auditedFraction = 0.5;
    private int contextLength = 96;
    private int dModel = 64;
    private int layers = 2;
    private int epochs = 3;
    private double learningRate = 4e-3;
    private int prefixTokens = 32;
    private int suffixTokens = 48;
    private Path outputDir = Path.of("align4j-out", "quickstart");

    private Builder() {}

    /** Seed (default 7). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Unique corpus examples (default 192). */
    public Builder uniqueExamples(int v) {
      uniqueExamples = v;
      return this;
    }

    /** Never-trained fraction (default 0.25). */
    public Builder heldOutFraction(double v) {
      heldOutFraction = v;
      return this;
    }

    /** Audited fraction of the trained examples, held out of the control (default 0.5). */
    public Builder auditedFraction(double v) {
      auditedFraction = v;
      return this;
    }

    /** Context length (default 96). */
    public Builder contextLength(int v) {
      contextLength = v;
      return this;
    }

    /** Model width (default 64). */
    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    /** Layers (default 2). */
    public Builder layers(int v) {
      layers = v;
      return this;
    }

    /** Training epochs (default 3). */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** Peak learning rate (default 4e-3). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** Prompt tokens (default 32). */
    public Builder prefixTokens(int v) {
      prefixTokens = v;
      return this;
    }

    /** Target tokens (default 48). */
    public Builder suffixTokens(int v) {
      suffixTokens = v;
      return this;
    }

    /** Output directory (default {@code align4j-out/quickstart}). */
    public Builder outputDir(Path v) {
      outputDir = v;
      return this;
    }

    /** Validates and builds. */
    public QuickstartConfig build() {
      return new QuickstartConfig(seed, uniqueExamples, heldOutFraction, auditedFraction, contextLength, dModel,
          layers, epochs, learningRate, prefixTokens, suffixTokens, outputDir);
    }
  }
}
