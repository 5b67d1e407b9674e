package org.align4j.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.align4j.core.hf.Models;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j generate}: loads a checkpoint and completes a prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Load a checkpoint and complete a prompt (greedy by default).")
public final class GenerateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "CKPT", description = "Checkpoint directory or zip.")
  Path model;

  @Option(names = "--prompt", required = true, description = "Text to complete.")
  String prompt;

  @Option(names = "--max-new-tokens", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "0 = no limit (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--top-p", defaultValue = "1", description = "1 = no limit (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    TransformerLm lm = Models.load(model);
    Tokenizer tok = lm.tokenizer();
    int[] body = tok.encode(prompt);
    int[] ids = new int[body.length + 1];
    ids[0] = tok.bosId();
    System.arraycopy(body, 0, ids, 1, body.length);
    GenerationConfig config = new GenerationConfig(maxNewTokens, temperature, topK, topP, true, seed);
    int[] generated = lm.generate(List.of(ids), config).get(0);
    String completion = tok.decode(generated);
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("prompt", prompt);
      result.put("completion", completion);
      result.put("new_tokens", generated.length);
      result.put("stopped_at_eos", generated.length > 0 && generated[generated.length - 1] == tok.eosId());
      Output.print(spec, true, result);
    } else {
      spec.commandLine().getOut().println(prompt + completion);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
