package org.align4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.align4j.core.privacy.PrivacyAccountant;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.privacy.RdpGuarantee;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code align4j privacy epsilon}: the epsilon of a DP-SGD run. */
@Command(
    name = "epsilon",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Print the epsilon of T steps of the Poisson-subsampled Gaussian mechanism at a delta.")
public final class PrivacyEpsilonCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--noise-multiplier", required = true, description = "Noise multiplier sigma (> 0).")
  double noiseMultiplier;

  @Option(names = "--sample-rate", required = true, description = "Sample rate q in (0, 1].")
  double sampleRate;

  @Option(names = "--steps", required = true, description = "Number of steps (>= 0).")
  long steps;

  @Option(names = "--delta", required = true, description = "Delta in (0, 1).")
  double delta;

  @Option(names = "--accountant", defaultValue = "rdp", description = "rdp (default) or pld.")
  String accountant;

  @Option(names = "--conversion", defaultValue = "improved",
      description = "RDP to (epsilon, delta) conversion: improved (default) or classic.")
  String conversion;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try {
      return compute();
    } catch (IllegalArgumentException e) {
      throw PrivacyCommand.inOptionNames(e);
    }
  }

  private Integer compute() throws Exception {
    PrivacyAccountant accounting = PrivacyCommand.accountants(accountant, conversion).get();
    accounting.add(noiseMultiplier, sampleRate, steps);
    double epsilon;
    Double order = null;
    if (accounting instanceof RdpAccountant rdp) {
      RdpGuarantee guarantee = rdp.guarantee(delta);
      epsilon = guarantee.epsilon();
      order = guarantee.optimalOrder();
    } else {
      epsilon = accounting.epsilon(delta);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = new ObjectMapper().createObjectNode();
      node.put("epsilon", epsilon);
      node.put("noise_multiplier", noiseMultiplier);
      node.put("sample_rate", sampleRate);
      node.put("steps", steps);
      node.put("delta", delta);
      node.put("accountant", accounting.name());
      if (order != null) {
        node.put("conversion", conversion);
        node.put("optimal_order", order);
      }
      out.println(new ObjectMapper().writeValueAsString(node));
    } else {
      out.printf(Locale.ROOT, "epsilon = %.4f at delta = %s (%s%s)%n", epsilon, delta, accounting.name(),
          order == null ? "" : ", " + conversion + " conversion, optimal order " + order);
    }
    out.flush();
    return 0;
  }
}
