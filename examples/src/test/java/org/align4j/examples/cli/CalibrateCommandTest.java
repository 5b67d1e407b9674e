package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.core.testing.ReferenceData;
import org.align4j.rewardmodel.calibration.Calibration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CalibrateCommandTest {

  @TempDir Path dir;
  private Path reference;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void copyReference() throws Exception {
    reference = dir.resolve("reference.csv");
    Files.writeString(reference, ReferenceData.text("calibration_rewardbench_shaped.csv"));
  }

  private int run(String... args) {
    CommandLine cli = Align4jCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void jsonReportReproducesTheReferenceScoresAndWritesFiles() throws Exception {
    Path output = dir.resolve("out/calibrated.csv");
    Path chart = dir.resolve("chart.svg");
    Path saved = dir.resolve("cal.json");
    int code = run("calibrate", reference.toString(), "--rm", "syn_linear", "--method", "lwr", "--frac", "1.0",
        "--output", output.toString(), "--chart", chart.toString(), "--save", saved.toString(), "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("pairs").asInt()).isEqualTo(2985);
    assertThat(json.at("/before/rewardbench/overall").asDouble()).isCloseTo(63.7114, within(6e-5));
    assertThat(json.at("/after/rewardbench/overall").asDouble()).isCloseTo(71.469, within(6e-5));
    assertThat(json.at("/after/rewardbench/safety").asDouble()).isCloseTo(75.9459, within(6e-5));
    assertThat(json.get("preference_changed_fraction").asDouble()).isCloseTo(0.19765, within(6e-6));
    assertThat(Math.abs(json.at("/after/length_spearman").asDouble()))
        .isLessThan(Math.abs(json.at("/before/length_spearman").asDouble()));
    assertThat(json.at("/before/subsets/math-prm").asDouble()).isBetween(0.0, 1.0);
    assertThat(Files.readAllLines(output)).hasSize(2986);
    assertThat(Files.readString(chart)).startsWith("<svg").contains("<polyline");
    assertThat(Calibration.load(saved).points()).isEqualTo(5970);
  }

  @Test
  void textReportForRcMean() {
    int code = run("calibrate", reference.toString(), "--rm", "syn_log", "--method", "mean");
    assertThat(code).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(text).contains("2985 pairs, method mean").contains("by subset:").contains("hep-rust")
        .contains("RewardBench sections:").contains("Chat Hard");
    assertThat(text).containsPattern("Overall\\s+63\\.4637\\s+69\\.6688");
  }

  @Test
  void badInputExitsWithCode2() {
    assertThat(run("calibrate", reference.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("several reward models");
    assertThat(run("calibrate", reference.toString(), "--rm", "syn_log", "--method", "median")).isEqualTo(2);
    assertThat(run("calibrate", reference.toString(), "--rm", "syn_log", "--frac", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("frac must be in (0.0, 1.0], got 1.5");
    assertThat(run("calibrate", dir.resolve("missing.csv").toString())).isEqualTo(2);
  }
}
