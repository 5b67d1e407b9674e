package org.align4j.memorization.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.fake.ByteTokenizer;
import org.align4j.memorization.fake.NgramModel;
import org.align4j.memorization.inference.RocPoint;
import org.align4j.memorization.stats.Proportion;
import org.junit.jupiter.api.Test;

/** What a reader of the HTML page sees: group order, legends that fit, denominators and settings spelled out. */
class HtmlReportTest {

  @Test
  void groupValuesSortNumerically() {
    Map<String, Integer> groups = Map.of("16", 0, "2", 0, "0", 0, "32", 0, "1", 0, "4", 0, "8", 0, "1.5", 0,
        "-3", 0, "abc", 0);
    assertThat(HtmlReport.sortedValues(groups))
        .containsExactly("-3", "0", "1", "1.5", "2", "4", "8", "16", "32", "abc");

    SplittableRandom rnd = new SplittableRandom(3);
    List<TextExample> data = new ArrayList<>();
    int[] duplicates = {0, 1, 2, 4, 8, 16, 32};
    for (int i = 0; i < 14; i++) {
      data.add(new TextExample("e" + i, text(rnd), Map.of("duplicates", duplicates[i % duplicates.length])));
    }
    String html = Auditor.builder().membershipScores(false).build()
        .scan(new NgramModel(new ByteTokenizer(), 8, List.of()), Dataset.of("d", data)).toHtml();
    List<Integer> positions = new ArrayList<>();
    for (int d : duplicates) {
      positions.add(html.indexOf(">" + d + " (n=2)<"));
    }
    assertThat(positions).doesNotContain(-1).isSorted();
  }

  @Test
  void rocLegendIsWideEnoughForItsLongestName() {
    String name = "REFERENCE_DIFFERENCE (AUC 0.842)";
    List<RocPoint> curve = List.of(new RocPoint(1, 0, 0), new RocPoint(0, 1, 1));
    String svg = Svg.roc(List.of("LOSS (AUC 0.801)", name), List.of(curve, curve));
    Matcher legend = Pattern.compile("<text x=\"(\\d+)\"[^>]*>" + Pattern.quote(name) + "<").matcher(svg);
    assertThat(legend.find()).isTrue();
    // At 12 px a sans-serif capital or underscore is 7 to 8 px wide.
    assertThat((double) width(svg)).isGreaterThanOrEqualTo(Integer.parseInt(legend.group(1)) + name.length() * 7.5);
  }

  @Test
  void rateBarsLeaveRoomForLongLabels() {
    String label = "a rather long template name, with spaces (n=12)";
    String svg = Svg.rateBars(List.of(label, "b (n=3)"), List.of(Proportion.wilson(3, 12), Proportion.wilson(1, 3)));
    Matcher text = Pattern.compile("<text x=\"(\\d+)\" [^>]*text-anchor=\"end\"[^>]*>" + Pattern.quote(label))
        .matcher(svg);
    assertThat(text.find()).isTrue();
    assertThat(Integer.parseInt(text.group(1))).isGreaterThanOrEqualTo((int) (label.length() * 6.5));
  }

  @Test
  void counterfactualRowsNameTheirDenominators() {
    AuditReport report = AuditReportIoTest.richReport();
    String html = report.toHtml();
    Proportion all = report.summary().counterfactuallyMemorized();
    assertThat(html).contains("counterfactually memorized (target yes, control no), of all scanned</th><td>"
        + all.successes() + " / " + all.trials() + " = ");
    Map<String, GroupSummary> byMember = report.summary().groups().get("member");
    for (String value : List.of("true", "false")) {
      Proportion p = byMember.get(value).counterfactuallyMemorized();
      assertThat(html).contains("counterfactually memorized, of the scanned with member = " + value + "</th><td>"
          + p.successes() + " / " + p.trials() + " = ");
    }
    assertThat(byMember.get("true").counterfactuallyMemorized().trials()).isLessThan(all.trials());
  }

  @Test
  void samplingSettingIsSpelledOut() {
    assertThat(AuditReportIoTest.richReport().toHtml())
        .contains("<th>probabilistic extraction</th><td>2 sampled continuations per example at temperature 0.5</td>");
    List<TextExample> data = List.of(new TextExample("a", text(new SplittableRandom(1)), Map.of()));
    String greedy = Auditor.scan(new NgramModel(new ByteTokenizer(), 8, List.of()), Dataset.of("d", data)).toHtml();
    assertThat(greedy).contains("<th>probabilistic extraction</th><td>off (greedy continuations only)</td>")
        .doesNotContain("samples (temperature)");
  }

  private static String text(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 100) {
      sb.append((char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  private static int width(String svg) {
    Matcher m = Pattern.compile("<svg [^>]*width=\"(\\d+)\"").matcher(svg);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
