package org.align4j.core.privacy;

import java.util.ArrayList;
import java.util.List;
import org.align4j.core.testing.ReferenceData;

/** Rows of dp_epsilon.csv (Opacus RDP and dp_accounting PLD reference values). */
record DpReference(String accountant, double sigma, double q, long steps, double delta, double epsilon) {

  static List<DpReference> rows(String accountant) {
    List<DpReference> rows = new ArrayList<>();
    String[] lines = ReferenceData.text("dp_epsilon.csv").strip().split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].strip().split(",");
      if (f[0].equals(accountant)) {
        rows.add(new DpReference(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]),
            Long.parseLong(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("no rows for " + accountant);
    }
    return rows;
  }
}
