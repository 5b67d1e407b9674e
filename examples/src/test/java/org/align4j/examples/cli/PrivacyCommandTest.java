package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PrivacyCommandTest {

  private static final String[] MNIST = {
    "--noise-multiplier", "1.1", "--sample-rate", String.valueOf(256.0 / 60000), "--steps", "14062",
    "--delta", "1e-5"};

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Align4jCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private JsonNode json() throws Exception {
    String text = out.toString().strip();
    assertThat(text.lines().count()).isEqualTo(1);
    return new ObjectMapper().readTree(text);
  }

  @Test
  void epsilonPrintsTheMnistFigures() throws Exception {
    assertThat(run(concat(concat(new String[] {"privacy", "epsilon"}, MNIST), "--json"))).isZero();
    JsonNode rdp = json();
    assertThat(rdp.get("epsilon").asDouble()).isCloseTo(2.596555869, within(1e-8));
    assertThat(rdp.get("optimal_order").asDouble()).isEqualTo(8.1);
    assertThat(rdp.get("noise_multiplier").asDouble()).isEqualTo(1.1);
    assertThat(rdp.get("steps").asLong()).isEqualTo(14062);
    assertThat(rdp.get("accountant").asText()).isEqualTo("rdp");

    out.getBuffer().setLength(0);
    assertThat(run(concat(concat(new String[] {"privacy", "epsilon"}, MNIST), "--conversion", "classic",
        "--json"))).isZero();
    assertThat(json().get("epsilon").asDouble()).isCloseTo(3.008272083, within(1e-8));

    out.getBuffer().setLength(0);
    assertThat(run(concat(concat(new String[] {"privacy", "epsilon"}, MNIST), "--accountant", "pld",
        "--json"))).isZero();
    JsonNode pld = json();
    assertThat(pld.get("epsilon").asDouble()).isCloseTo(2.3817, within(2e-3));
    assertThat(pld.has("optimal_order")).isFalse();

    out.getBuffer().setLength(0);
    assertThat(run(concat(new String[] {"privacy", "epsilon"}, MNIST))).isZero();
    assertThat(out.toString()).contains("epsilon = 2.5966").contains("optimal order 8.1");
  }

  @Test
  void noiseRecoversTheMnistNoiseMultiplier() throws Exception {
    assertThat(run("privacy", "noise", "--target-epsilon", "2.596555869", "--sample-rate",
        String.valueOf(256.0 / 60000), "--steps", "14062", "--delta", "1e-5", "--json")).isZero();
    JsonNode node = json();
    assertThat(node.get("noise_multiplier").asDouble()).isCloseTo(1.1, within(1e-5));
    assertThat(node.get("epsilon").asDouble()).isLessThanOrEqualTo(2.596555869);
    assertThat(node.get("optimal_order").asDouble()).isEqualTo(8.1);

    out.getBuffer().setLength(0);
    assertThat(run("privacy", "noise", "--target-epsilon", "3", "--sample-rate", "0.01", "--epochs", "2",
        "--delta", "1e-5")).isZero();
    assertThat(out.toString()).startsWith("noise multiplier = ").contains("200 steps");
  }

  @Test
  void badInputExitsWithTwoAndOneLine() {
    assertThat(run("privacy", "epsilon", "--noise-multiplier", "-1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1e-5")).isEqualTo(2);
    assertThat(err.toString().strip().lines().count()).isEqualTo(1);
    assertThat(err.toString()).contains("--noise-multiplier").contains("-1.0");

    err.getBuffer().setLength(0);
    assertThat(run("privacy", "epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("delta");

    err.getBuffer().setLength(0);
    assertThat(run("privacy", "epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1e-5", "--accountant", "prv")).isEqualTo(2);
    assertThat(err.toString()).contains("--accountant");

    err.getBuffer().setLength(0);
    assertThat(run("privacy", "noise", "--target-epsilon", "1", "--sample-rate", "0.1", "--steps", "10",
        "--epochs", "2", "--delta", "1e-5")).isEqualTo(2);

    err.getBuffer().setLength(0);
    assertThat(run("privacy", "noise", "--target-epsilon", "0", "--sample-rate", "0.1", "--steps", "10",
        "--delta", "1e-5")).isEqualTo(2);
    assertThat(err.toString()).contains("--target-epsilon");
  }
}
