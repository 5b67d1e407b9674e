package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.hf.HfCheckpoints;
import org.align4j.core.model.TransformerLm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j export}: a model to a Hugging Face folder. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a model (an align4j checkpoint of an imported GPT-2 or Llama-family model) as a Hugging "
        + "Face folder: config.json, model.safetensors and tokenizer.json, with the family's keys and tensor names.")
public final class ExportCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "CKPT",
      description = "Checkpoint (directory or zip) or Hugging Face folder.")
  Path model;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Folder to write: new, empty, or "
      + "(with --overwrite) a Hugging Face model folder holding only the files an export writes.")
  Path to;

  @Option(names = "--overwrite", description = "Replace an existing Hugging Face model folder at --to.")
  boolean overwrite;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    OutputGuard.hfFolder("--to", to, overwrite);
    TransformerLm lm = CheckpointArgs.languageModel("--model", model);
    HfCheckpoints.export(lm, to);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("parameters", lm.config().parameterCount());
    summary.put("steps", lm.provenance().steps());
    summary.put("to", to.toString());
    Output.print(spec, json, summary);
    return 0;
  }
}
