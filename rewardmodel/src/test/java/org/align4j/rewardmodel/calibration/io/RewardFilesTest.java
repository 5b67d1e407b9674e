package org.align4j.rewardmodel.calibration.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.testing.ReferenceData;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardFilesTest {

  @TempDir Path dir;

  @Test
  void readsTheReferenceCsvChoosingAModel() throws Exception {
    Path file = dir.resolve("ref.csv");
    Files.writeString(file, ReferenceData.text("calibration_rewardbench_shaped.csv"));
    RewardPairs pairs = RewardFiles.read(file, "syn_log");
    assertThat(pairs.size()).isEqualTo(2985);
    assertThat(pairs.hasPenaltyFeature()).isTrue();
    assertThat(pairs.subsets().get(0)).isEqualTo("alpacaeval-easy");
    assertThatThrownBy(() -> RewardFiles.read(file, null)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("syn_linear, syn_log");
    assertThatThrownBy(() -> RewardFiles.read(file, "gpt")).hasMessageContaining("no rows for reward model gpt");
  }

  @Test
  void readsJsonlAndCsvAndWritesCalibratedCsvThatReadsBack() throws Exception {
    Path jsonl = dir.resolve("r.jsonl");
    Files.writeString(jsonl, """
        {"id": "a", "subset": "x", "chosen_reward": 1.5, "rejected_reward": 0.5, "chosen_length": 10, "rejected_length": 4}

        {"id": "b", "chosen_reward": -1, "rejected_reward": 2, "chosen_length": 3, "rejected_length": 12}
        {"id": "c", "chosen_reward": 0, "rejected_reward": 0.25, "chosen_length": 7, "rejected_length": 7}
        """);
    RewardPairs pairs = RewardFiles.read(jsonl, null);
    assertThat(pairs.ids()).containsExactly("a", "b", "c");
    assertThat(pairs.subsets()).containsExactly("x", "", "");
    assertThat(pairs.chosenFeature()).containsExactly(10, 3, 7);
    Calibration c = Calibrator.builder().frac(1).build().fit(pairs);
    RewardPairs after = c.apply(pairs);
    Path out = dir.resolve("out/cal.csv");
    RewardFiles.writeCalibrated(out, pairs, after);
    RewardPairs back = RewardFiles.read(out, null);
    assertThat(back.chosenReward()).containsExactly(after.chosenReward());
    assertThat(back.rejectedFeature()).containsExactly(pairs.rejectedFeature());
    assertThat(Files.readAllLines(out).get(0)).startsWith("id,subset,chosen_length");

    Path csv = dir.resolve("q.csv");
    Files.writeString(csv, "id,subset,chosen_reward,rejected_reward,chosen_len,rejected_len\n"
        + "\"p,1\",\"sub \"\"q\"\"\",1,2,3,4\r\n");
    RewardPairs quoted = RewardFiles.read(csv, null);
    assertThat(quoted.ids()).containsExactly("p,1");
    assertThat(quoted.subsets()).containsExactly("sub \"q\"");
  }

  @Test
  void errorsNameFileLineAndColumn() throws Exception {
    Path missing = dir.resolve("m.csv");
    Files.writeString(missing, "chosen_reward,chosen_length\n1,2\n");
    assertThatThrownBy(() -> RewardFiles.read(missing, null)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("m.csv:1:").hasMessageContaining("rejected_reward")
        .hasMessageContaining("rejected_length or rejected_len");
    Path bad = dir.resolve("b.csv");
    Files.writeString(bad, "chosen_reward,rejected_reward,chosen_length,rejected_length\n1,2,3,4\n1,x,3,4\n");
    assertThatThrownBy(() -> RewardFiles.read(bad, null))
        .hasMessage(bad + ":3: column rejected_reward: not a number: \"x\"");
    Files.writeString(bad, "chosen_reward,rejected_reward,chosen_length,rejected_length\n1,2,3\n");
    assertThatThrownBy(() -> RewardFiles.read(bad, null)).hasMessageContaining(":2: expected 4 columns, got 3");
    Files.writeString(bad, "chosen_reward,rejected_reward,chosen_length,rejected_length\n1,NaN,3,4\n");
    assertThatThrownBy(() -> RewardFiles.read(bad, null)).hasMessageContaining("must be finite");
    Path badJson = dir.resolve("b.jsonl");
    Files.writeString(badJson, "{\"chosen_reward\": 1, \"rejected_reward\": 2, \"chosen_length\": 3,"
        + " \"rejected_length\": 4}\n{\"chosen_reward\": true, \"rejected_reward\": 2, \"chosen_length\": 3,"
        + " \"rejected_length\": 4}\n{oops\n");
    assertThatThrownBy(() -> RewardFiles.read(badJson, null))
        .hasMessageContaining("b.jsonl:2: column chosen_reward: expected a number");
    Files.writeString(dir.resolve("e.csv"), "");
    assertThatThrownBy(() -> RewardFiles.read(dir.resolve("e.csv"), null)).hasMessageContaining("empty file");
    Files.writeString(bad, "chosen_reward,rejected_reward,chosen_length,rejected_length\n1,2,3,4\n");
    assertThatThrownBy(() -> RewardFiles.read(bad, "m")).hasMessageContaining("no rm column");
  }

  @Test
  void chartIsSelfContainedSvg() {
    RewardPairs pairs = RewardPairs.of(new double[] {1, 2, 3}, new double[] {0, 1, 1}, new double[] {5, 9, 12},
        new double[] {4, 8, 2});
    Calibration c = Calibrator.builder().frac(1).build().fit(pairs);
    String svg = CalibrationChart.svg(pairs, c.apply(pairs), c);
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").contains("<polyline")
        .contains("before").contains("after").doesNotContain("href").endsWith("</svg>\n");
    assertThat(svg.split("r=\"1.5\"").length - 1).isEqualTo(12);
  }

  @Test
  void readsTheSourceColumnsAndRefusesRowsThatDisagree() throws Exception {
    Path csv = dir.resolve("s.csv");
    Files.writeString(csv, "rm,rm_id,length_unit,chosen_reward,rejected_reward,chosen_length,rejected_length,extra\n"
        + "a,sha256:1,tokens,1,2,3,4,x\n"
        + "b,sha256:2,chars,1,2,3,4,y\n"
        + "a,sha256:1,tokens,2,1,5,6,z\n");
    RewardFile a = RewardFiles.readFile(csv, "a");
    assertThat(a.pairs().size()).isEqualTo(2);
    assertThat(a.rm()).isEqualTo("a");
    assertThat(a.rmId()).isEqualTo("sha256:1");
    assertThat(a.lengthUnit()).isEqualTo("tokens");
    assertThat(RewardFiles.rewardModels(csv)).containsExactly("a", "b");
    Path plain = dir.resolve("p.jsonl");
    Files.writeString(plain, "{\"chosen_reward\": 1, \"rejected_reward\": 0, \"chosen_length\": 2, "
        + "\"rejected_length\": 3}\n");
    assertThat(RewardFiles.readFile(plain, null)).extracting(RewardFile::rm, RewardFile::rmId, RewardFile::lengthUnit)
        .containsExactly("", "", "");
    assertThat(RewardFiles.rewardModels(plain)).containsExactly("");
    Path mixed = dir.resolve("m.jsonl");
    Files.writeString(mixed, "{\"chosen_reward\": 1, \"rejected_reward\": 0, \"chosen_length\": 2, "
        + "\"rejected_length\": 3, \"length_unit\": \"tokens\"}\n\n"
        + "{\"chosen_reward\": 1, \"rejected_reward\": 0, \"chosen_length\": 2, "
        + "\"rejected_length\": 3, \"length_unit\": \"chars\"}\n");
    assertThatThrownBy(() -> RewardFiles.readFile(mixed, null)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("m.jsonl:3").hasMessageContaining("column length_unit: \"chars\" differs from "
            + "\"tokens\"");
  }
}
