package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.TrainTestSplit;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.BpeTrainer;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.SftConfig;
import org.align4j.core.train.SftTrainer;
import org.align4j.core.train.TrainingListener;
import org.align4j.core.train.TrainingResult;
import org.align4j.core.util.Args;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j train-lm}: trains a transformer language model on a corpus and saves a checkpoint. */
@Command(name = "train-lm", mixinStandardHelpOptions = true,
    description = "Train a transformer language model on a corpus (default: the embedded synthetic code corpus) "
        + "and save a checkpoint.")
public final class TrainLmCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin CorpusOptions corpus;

  @Option(names = "--output", paramLabel = "PATH", defaultValue = "align4j-out/model",
      description = "Checkpoint directory, or a .zip file (default: ${DEFAULT-VALUE}). Must not exist, or be "
          + "an align4j checkpoint and --overwrite given.")
  Path output;

  @Option(names = "--overwrite",
      description = "Replace an existing align4j checkpoint at --output. Anything else there is never replaced.")
  boolean overwrite;


  @Option(names = "--tokenizer", defaultValue = "byte", description = "byte or bpe (default: ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(names = "--vocab-size", defaultValue = "512", description = "BPE vocabulary (default: ${DEFAULT-VALUE}).")
  int vocabSize;

  @Option(names = "--context", defaultValue = "128", description = "Context length (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--d-model", defaultValue = "64", description = "Model width (default: ${DEFAULT-VALUE}).")
  int dModel;

  @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--layers", defaultValue = "2", description = "Layers (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--mlp-ratio", defaultValue = "4", description = "MLP width ratio (default: ${DEFAULT-VALUE}).")
  int mlpRatio;

  @Option(names = "--dropout", defaultValue = "0", description = "Dropout (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(names = "--batch-size", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin EpochOptions length;

  @Mixin OptimizerOptions optimizer = new OptimizerOptions(3e-3, 20, 0.01, 1.0);

  @Mixin PrivacyOptions privacy;

  @Option(names = "--eval-fraction", defaultValue = "0.05",
      description = "Fraction of examples held out for evaluation, 0 for none (default: ${DEFAULT-VALUE}).")
  double evalFraction;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ProgressOptions progress;

  @Option(names = "--json", description = "Print one JSON object with the results.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    OutputGuard.checkpoint("--output", output, overwrite);
    Args.inClosedOpen("--eval-fraction", evalFraction, 0, 1);
    privacy.check();
    if (privacy.enabled() && tokenizer.equals("bpe")) {
      throw new IllegalArgumentException("--tokenizer " + tokenizer + " with --dp-* options: a BPE vocabulary is "
          + "learned from the training data without privacy; use --tokenizer byte");
    }
    TrainTestSplit<TextExample> split = corpus.split(evalFraction, seed);
    Dataset<TextExample> train = split.train();
    Dataset<TextExample> eval = split.test();
    try (Stream<TextExample> s = eval.stream()) {
      if (s.findAny().isEmpty()) {
        eval = null;
      }
    }
    Tokenizer tok = buildTokenizer(train);
    TransformerConfig config = TransformerConfig.builder().vocabSize(tok.vocabSize()).contextLength(context)
        .dModel(dModel).heads(heads).layers(layers).mlpRatio(mlpRatio).dropout(dropout).build();
    if (privacy.enabled()) {
      try (Stream<TextExample> s = train.stream()) {
        privacy.checkDataSize(s.count(), batchSize, "examples");
      }
    }
    SftConfig sft = length.applyTo(SftConfig.builder().batchSize(batchSize))
        .optimizer(optimizer.settings()).privacy(privacy.settings(batchSize)).seed(seed).build();
    TransformerLm model = TransformerLm.create(config, tok, seed);
    TrainingListener[] listeners = progress.listeners("train");
    TrainingResult result = new SftTrainer(sft, listeners).train(model, train, eval);
    Checkpoints.save(result.model(), output);
    if (result.truncatedExamples() > 0) {
      spec.commandLine().getErr().printf(Locale.ROOT, "note: %d training examples were longer than --context %d "
          + "tokens and were trained on their first %d only; raise --context to train on whole examples%n",
          result.truncatedExamples(), context, context);
      spec.commandLine().getErr().flush();
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint", output.toString());
    summary.put("parameters", config.parameterCount());
    summary.put("vocab_size", tok.vocabSize());
    summary.put("steps", result.steps());
    summary.put("final_loss", result.finalLoss());
    summary.put("eval_loss", result.bestEvalLoss());
    summary.put("tokens_per_second", result.tokensPerSecond());
    summary.put("truncated_examples", result.truncatedExamples());
    result.privacy().ifPresent(spent -> PrivacyOptions.putSpent(summary, spent));
    summary.put("data_sha256", result.model().provenance().dataSha256());
    Output.print(spec, json, summary);
    return 0;
  }

  private Tokenizer buildTokenizer(Dataset<TextExample> train) {
    return switch (tokenizer) {
      case "byte" -> ByteTokenizer.INSTANCE;
      case "bpe" -> BpeTrainer.builder().vocabSize(vocabSize).build().train(train.map(TextExample::text));
      default -> throw new IllegalArgumentException("--tokenizer must be byte or bpe, got " + tokenizer);
    };
  }
}
