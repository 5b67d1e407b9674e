package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.align4j.core.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;

class PrivacyPlanCommandTest {

  private static final String[] PIPELINE = {"privacy", "plan", "--epsilon", "4", "--delta", "1e-6",
      "--stage", "sft:50000:250:1000:texts", "--stage", "reward:8000:80:300:prefs",
      "--stage", "ppo:8000:40:200:prefs"};

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines().count()).isEqualTo(1);
    return new ObjectMapper().readTree(run.out());
  }

  private static String[] with(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void eachStageMatchesPrivacyNoiseAndTheTotalMatchesAHandComposition() throws Exception {
    for (String split : new String[] {"equal", "proportional", "1,0.7,0.3", "tight"}) {
      JsonNode plan = json(CliRun.of(split.equals("tight") ? with(PIPELINE, "--tight", "--json")
          : with(PIPELINE, "--split", split, "--json")));
      JsonNode stages = plan.get("stages");
      assertThat(stages).hasSize(3);
      for (JsonNode stage : stages) {
        JsonNode noise = json(CliRun.of("privacy", "noise",
            "--target-epsilon", stage.get("target_epsilon").asText(),
            "--sample-rate", stage.get("sample_rate").asText(),
            "--steps", stage.get("steps").asText(),
            "--delta", stage.get("delta").asText(), "--json"));
        assertThat(stage.get("noise_multiplier").asDouble()).as(split + " " + stage.get("name"))
            .isEqualTo(noise.get("noise_multiplier").asDouble());
        assertThat(stage.get("epsilon").asDouble()).isEqualTo(noise.get("epsilon").asDouble());
      }
      JsonNode sft = stages.get(0);
      JsonNode reward = stages.get(1);
      JsonNode ppo = stages.get(2);
      assertThat(sft.get("delta").asDouble()).isEqualTo(1e-6);
      assertThat(reward.get("delta").asDouble()).isEqualTo(5e-7);
      double scale = plan.get("data_sets").get(1).get("scale").asDouble();
      assertThat(scale).isEqualTo(split.equals("tight") ? scale : 1.0);
      assertThat(reward.get("target_epsilon").asDouble() + ppo.get("target_epsilon").asDouble())
          .isCloseTo(4 * scale, within(1e-12));
      // texts: sft alone, as `privacy epsilon` computes it at the total delta
      JsonNode texts = json(CliRun.of("privacy", "epsilon", "--noise-multiplier",
          sft.get("noise_multiplier").asText(), "--sample-rate", "0.005", "--steps", "1000", "--delta", "1e-6",
          "--json"));
      // prefs: reward then ppo composed sequentially in one accountant
      double prefs = new RdpAccountant()
          .add(reward.get("noise_multiplier").asDouble(), 0.01, 300)
          .add(ppo.get("noise_multiplier").asDouble(), 0.005, 200)
          .epsilon(1e-6);
      JsonNode dataSets = plan.get("data_sets");
      assertThat(dataSets.get(0).get("ledger_epsilon").asDouble()).isEqualTo(texts.get("epsilon").asDouble());
      assertThat(dataSets.get(1).get("ledger_epsilon").asDouble()).isEqualTo(prefs);
      assertThat(dataSets.get(1).get("composition").asText()).isEqualTo("sequential");
      assertThat(dataSets.get(1).get("basic_composition_epsilon").asDouble())
          .isEqualTo(reward.get("epsilon").asDouble() + ppo.get("epsilon").asDouble());
      double total = Math.max(texts.get("epsilon").asDouble(), prefs);
      assertThat(plan.get("ledger_epsilon").asDouble()).isEqualTo(total);
      assertThat(plan.get("epsilon").asDouble()).isEqualTo(total).isLessThanOrEqualTo(4);
      assertThat(plan.get("composition").asText()).contains("parallel");
      assertThat(plan.get("warnings")).isEmpty();
      assertThat(plan.get("tight").asBoolean()).isEqualTo(split.equals("tight"));
      if (split.equals("tight")) {
        assertThat(scale).isGreaterThan(1);
        assertThat(prefs).isGreaterThan(4 - 1e-3);
      }
    }
  }

  @Test
  void stagesWithoutADataSetShareOneAndTheTableExplainsTheComposition() {
    CliRun run = CliRun.of("privacy", "plan", "--epsilon", "2", "--delta", "1e-6",
        "--stage", "sft:20000:100:500", "--stage", "ppo:20000:50:200", "--conversion", "classic");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("privacy plan: total epsilon 2.0 at delta 1.0E-6 (rdp accountant, equal split)")
        .contains("sft").contains("ppo").contains("data set shared (sequential)")
        .contains("compose sequentially").contains("total: epsilon");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void badInputExitsWithTwoAndOneLineNamingTheStageAndValue() {
    assertBad(with(PIPELINE, "--stage", "rm:100:200:10:x"), "stage rm", "200", "100");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "0.3", "--delta", "1e-6",
        "--stage", "sft:1000:500:5000"}, "stage sft", "too small", "5000");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "4", "--delta", "1e-4",
        "--stage", "sft:50000:250:100", "--strict"}, "stage sft", "1.0E-4", "N = 50000");
    assertBad(with(PIPELINE, "--split", "1,0.5,0.4"), "--split", "data set prefs", "0.9");
    assertBad(with(PIPELINE, "--split", "1,1.5,-0.5"), "--split", "share 3", "-0.5");
    assertBad(with(PIPELINE, "--split", "1,1"), "--split", "2 shares for 3 stages");
    assertBad(with(PIPELINE, "--split", "half"), "--split", "half");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "0", "--delta", "1e-6", "--stage", "a:10:1:1"},
        "--epsilon", "0.0");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "1", "--delta", "1", "--stage", "a:10:1:1"},
        "--delta", "1.0");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "1", "--delta", "1e-6", "--stage", "a:10:1"},
        "--stage", "a:10:1");
    assertBad(new String[] {"privacy", "plan", "--epsilon", "1", "--delta", "1e-6", "--stage", "a:ten:1:1"},
        "--stage a", "ten");
    assertBad(with(PIPELINE, "--stage", "sft:10:1:1"), "unique", "sft");
  }

  @Test
  void deltaNotBelowOneOverNOnlyWarnsWithoutStrict() throws Exception {
    CliRun run = CliRun.of("privacy", "plan", "--epsilon", "4", "--delta", "1e-4", "--stage", "sft:50000:250:100",
        "--json");
    JsonNode plan = json(run);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("warning: stage sft");
    assertThat(plan.get("warnings")).hasSize(1);
  }

  private static void assertBad(String[] args, String... fragments) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err().strip().lines().count()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains(fragments);
    assertThat(run.out()).isEmpty();
  }
}
