package org.align4j.rewardmodel.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.align4j.core.testing.ReferenceData;

/** The rows of {@code calibration_rewardbench_shaped.csv} for one reward model, parsed for tests. */
record ReferenceRows(
    String[] subsets,
    double[] chosenLength,
    double[] rejectedLength,
    double[] chosenTextLength,
    double[] rejectedTextLength,
    double[] chosenReward,
    double[] rejectedReward,
    double[] chosenF1,
    double[] rejectedF1,
    double[] chosenF09,
    double[] rejectedF09) {

  static ReferenceRows load(String rm) {
    String[] lines = ReferenceData.text("calibration_rewardbench_shaped.csv").split("\n");
    List<String> header = Arrays.asList(lines[0].trim().split(","));
    List<String[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split(",");
      if (f.length > 1 && f[header.indexOf("rm")].equals(rm)) {
        rows.add(f);
      }
    }
    int n = rows.size();
    String[] subsets = new String[n];
    for (int i = 0; i < n; i++) {
      subsets[i] = rows.get(i)[header.indexOf("subset")];
    }
    return new ReferenceRows(subsets,
        column(rows, header, "chosen_len"), column(rows, header, "rejected_len"),
        column(rows, header, "chosen_text_len"), column(rows, header, "rejected_text_len"),
        column(rows, header, "chosen_reward"), column(rows, header, "rejected_reward"),
        column(rows, header, "chosen_rc_lwr_f1"), column(rows, header, "rejected_rc_lwr_f1"),
        column(rows, header, "chosen_rc_lwr_f09"), column(rows, header, "rejected_rc_lwr_f09"));
  }

  private static double[] column(List<String[]> rows, List<String> header, String name) {
    int c = header.indexOf(name);
    return rows.stream().mapToDouble(r -> Double.parseDouble(r[c])).toArray();
  }

  int size() {
    return chosenReward.length;
  }

  /** Chosen then rejected, pooled. */
  static double[] pool(double[] chosen, double[] rejected) {
    double[] out = Arrays.copyOf(chosen, chosen.length + rejected.length);
    System.arraycopy(rejected, 0, out, chosen.length, rejected.length);
    return out;
  }
}
