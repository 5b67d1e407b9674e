package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.Datasets;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.SourceCorpus;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.TrainTestSplit;
import org.align4j.core.data.synthetic.SyntheticCodeCorpus;
import picocli.CommandLine.Option;

/** Where a command's text corpus comes from: a JSONL file, a source directory or archive, or the embedded data. */
final class CorpusOptions {

  @Option(names = "--data", paramLabel = "PATH",
      description = "JSONL corpus ({\"id\",\"text\"} per line), or a directory, .zip or .jar of source files. "
          + "Default: the embedded synthetic code corpus.")
  Path data;

  @Option(names = "--extensions", split = ",", paramLabel = "EXT",
      description = "File extensions read from a source directory or archive (default: ${DEFAULT-VALUE}).",
      defaultValue = "java,py")
  List<String> extensions;

  @Option(names = "--examples", paramLabel = "N",
      description = "Unique examples of the embedded synthetic corpus (default: ${DEFAULT-VALUE}).",
      defaultValue = "200")
  int syntheticExamples;

  /** The embedded corpus for {@code seed}, or null when a file was given. */
  SyntheticCodeCorpus synthetic(long seed) {
    return data != null ? null
        : SyntheticCodeCorpus.builder().seed(seed).uniqueExamples(syntheticExamples).build();
  }

  /**
   * The corpus split into training and held-out examples by a seeded hash of their ids. For the embedded corpus
   * the unique examples are split first and only the training side is expanded into its duplicates, so no copy of
   * a held-out example is trained on.
   */
  TrainTestSplit<TextExample> split(double testFraction, long seed) {
    if (data == null) {
      SyntheticCodeCorpus corpus = synthetic(seed);
      TrainTestSplit<TextExample> unique = Datasets.split(corpus.examples(), testFraction, seed);
      return new TrainTestSplit<>(corpus.trainingSet(unique.train()), unique.test());
    }
    return Datasets.split(load(), testFraction, seed);
  }

  /** The examples of the file or source tree given with {@code --data}. */
  Dataset<TextExample> load() {
    String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".json")) {
      InputFiles.requireFile("--data", data);
      return JsonlDatasets.textExamples(data);
    }
    return SourceCorpus.open(data, extensions);
  }
}
