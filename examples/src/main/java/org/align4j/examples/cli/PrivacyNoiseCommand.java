package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.align4j.core.privacy.NoiseCalibration;
import org.align4j.core.privacy.PrivacyAccountant;
import org.align4j.core.privacy.RdpAccountant;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code align4j privacy noise}: the noise multiplier that reaches a target epsilon. */
@Command(
    name = "noise",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Print the smallest noise multiplier whose epsilon is at most the target.")
public final class PrivacyNoiseCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--target-epsilon", required = true, description = "Target epsilon (> 0).")
  double targetEpsilon;

  @Option(names = "--sample-rate", required = true, description = "Sample rate q in (0, 1].")
  double sampleRate;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Length length;

  @Option(names = "--delta", required = true, description = "Delta in (0, 1).")
  double delta;

  @Option(names = "--accountant", defaultValue = "rdp", description = "rdp (default) or pld.")
  String accountant;

  @Option(names = "--conversion", defaultValue = "improved",
      description = "RDP to (epsilon, delta) conversion: improved (default) or classic.")
  String conversion;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  /** Either steps or epochs. */
  static final class Length {
    @Option(names = "--steps", required = true, description = "Number of steps (> 0).")
    Long steps;

    @Option(names = "--epochs", required = true, description = "Epochs; steps = ceil(epochs / sample rate).")
    Double epochs;
  }

  @Override
  public Integer call() throws Exception {
    try {
      return compute();
    } catch (IllegalArgumentException e) {
      throw PrivacyCommand.inOptionNames(e);
    }
  }

  private Integer compute() throws Exception {
    Supplier<PrivacyAccountant> accountants = PrivacyCommand.accountants(accountant, conversion);
    NoiseCalibration.Result result = length.steps != null
        ? NoiseCalibration.forSteps(targetEpsilon, sampleRate, length.steps, delta, accountants)
        : NoiseCalibration.forEpochs(targetEpsilon, sampleRate, length.epochs, delta, accountants);
    PrivacyAccountant check = accountants.get().add(result.noiseMultiplier(), sampleRate, result.steps());
    Double order = check instanceof RdpAccountant rdp ? rdp.guarantee(delta).optimalOrder() : null;
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = new ObjectMapper().createObjectNode();
      node.put("noise_multiplier", result.noiseMultiplier());
      node.put("epsilon", result.epsilon());
      node.put("target_epsilon", targetEpsilon);
      node.put("sample_rate", sampleRate);
      node.put("steps", result.steps());
      if (length.epochs != null) {
        node.put("epochs", length.epochs);
      }
      node.put("delta", delta);
      node.put("accountant", check.name());
      if (order != null) {
        node.put("conversion", conversion);
        node.put("optimal_order", order);
      }
      out.println(new ObjectMapper().writeValueAsString(node));
    } else {
      out.printf(Locale.ROOT, "noise multiplier = %.6f (epsilon %.4f <= %s at delta = %s over %d steps; %s)%n",
          result.noiseMultiplier(), result.epsilon(), targetEpsilon, delta, result.steps(), check.name());
    }
    out.flush();
    return 0;
  }
}
