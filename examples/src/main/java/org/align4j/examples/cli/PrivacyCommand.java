package org.align4j.examples.cli;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.align4j.core.privacy.PldAccountant;
import org.align4j.core.privacy.PrivacyAccountant;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.privacy.RdpConversion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code align4j privacy}: differential-privacy accounting for DP-SGD ({@code epsilon}, {@code noise} and
 * {@code plan}).
 */
@Command(
    name = "privacy",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Differential-privacy accounting of the Poisson-subsampled Gaussian mechanism (DP-SGD).",
    subcommands = {PrivacyEpsilonCommand.class, PrivacyNoiseCommand.class, PrivacyPlanCommand.class})
public final class PrivacyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: epsilon, noise or plan");
  }

  /**
   * {@code e} with the library's parameter names ({@code sampleRate}, {@code steps}, ...) replaced by the options
   * that set them ({@code --sample-rate}, {@code --steps}, ...).
   */
  static IllegalArgumentException inOptionNames(IllegalArgumentException e) {
    String message = String.valueOf(e.getMessage());
    for (String[] names : new String[][] {{"sampleRate", "--sample-rate"}, {"noiseMultiplier", "--noise-multiplier"},
        {"targetEpsilon", "--target-epsilon"}}) {
      message = message.replaceAll("\\b" + names[0] + "\\b", names[1]);
    }
    message = message.replaceAll("(?<![-\\w])(steps|delta|epochs)(?= (must|-?\\d))", "--$1");
    return new IllegalArgumentException(message, e);
  }

  /** A factory of fresh accountants for {@code --accountant} ({@code rdp} or {@code pld}) and {@code --conversion}. */
  static Supplier<PrivacyAccountant> accountants(String accountant, String conversion) {
    RdpConversion rdpConversion = switch (conversion) {
      case "improved" -> RdpConversion.IMPROVED;
      case "classic" -> RdpConversion.CLASSIC;
      default -> throw new IllegalArgumentException("--conversion must be improved or classic, got " + conversion);
    };
    return switch (accountant) {
      case "rdp" -> () -> new RdpAccountant(rdpConversion);
      case "pld" -> PldAccountant::new;
      default -> throw new IllegalArgumentException("--accountant must be rdp or pld, got " + accountant);
    };
  }
}
