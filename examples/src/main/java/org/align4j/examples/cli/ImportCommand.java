package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.hf.HfCheckpoints;
import org.align4j.core.model.TransformerLm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j import}: a Hugging Face model folder to an align4j checkpoint. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import a Hugging Face model folder (GPT-2 or Llama family: config.json, safetensors weights, "
        + "tokenizer) as an align4j checkpoint. Nothing is written when the folder cannot be imported.")
public final class ImportCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "Hugging Face model folder.")
  Path from;

  @Option(names = "--output", required = true, paramLabel = "CKPT",
      description = "Checkpoint to write (a zip when the name ends in .zip, else a directory).")
  Path output;

  @Option(names = "--overwrite", description = "Replace an existing align4j checkpoint at --output. Anything else "
      + "there is never replaced.")
  boolean overwrite;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    OutputGuard.checkpoint("--output", output, overwrite);
    TransformerLm model = HfCheckpoints.load(from);
    Checkpoints.save(model, output);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("architecture", model.provenance().configuration().get("huggingFaceArchitecture"));
    summary.put("parameters", model.config().parameterCount());
    summary.put("vocab_size", model.config().vocabSize());
    summary.put("context", model.contextLength());
    summary.put("layers", model.config().layers());
    summary.put("d_model", model.config().dModel());
    summary.put("output", output.toString());
    Output.print(spec, json, summary);
    return 0;
  }
}
