package org.align4j.examples.cli;

import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.ByteTokenizer;
import picocli.CommandLine.Option;

/** The shape of the tiny byte-level model a command trains when it is given no policy checkpoint. */
final class FreshModelOptions {

  @Option(names = "--context", defaultValue = "64", description = "Fresh model: context (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--d-model", defaultValue = "32", description = "Fresh model: width (default: ${DEFAULT-VALUE}).")
  int dModel;

  @Option(names = "--heads", defaultValue = "2", description = "Fresh model: heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--layers", defaultValue = "2", description = "Fresh model: layers (default: ${DEFAULT-VALUE}).")
  int layers;

  /** A freshly initialised byte-level model of this shape. */
  TransformerLm create(long seed) {
    TransformerConfig c = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(context).dModel(dModel).heads(heads).layers(layers).build();
    return TransformerLm.create(c, ByteTokenizer.INSTANCE, seed);
  }
}
