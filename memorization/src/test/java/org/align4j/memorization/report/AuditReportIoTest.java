package org.align4j.memorization.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.canary.CanaryExposure;
import org.align4j.memorization.fake.ByteTokenizer;
import org.align4j.memorization.fake.NgramModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReportIoTest {

  private static final String SCRIPT = "<script>alert('pwned')</script> & \"quotes\" ";

  /** A report exercising every optional part: control, sampling, membership, groups, canaries, odd metadata. */
  static AuditReport richReport() {
    SplittableRandom rnd = new SplittableRandom(5);
    List<String> members = new ArrayList<>();
    List<TextExample> data = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      StringBuilder sb = new StringBuilder(i == 0 ? SCRIPT : "");
      while (sb.length() < 110) {
        sb.append((char) ('a' + rnd.nextInt(26)));
      }
      String text = sb.toString() + (i == 1 ? "\u00e9t\u00e9 \uD83D\uDE00" : "");
      if (i < 6) {
        members.add(text);
      }
      data.add(new TextExample("ex" + i, text, Map.of("member", i < 6, "duplicates", (long) (i % 2),
          "score", 0.25f * i, "template", i % 3 == 0 ? SCRIPT : "plain")));
    }
    NgramModel model = new NgramModel(new ByteTokenizer(), 8, members);
    NgramModel control = new NgramModel(new ByteTokenizer(), 8, members.subList(0, 2));
    AuditReport report = Auditor.builder().control(control).sampling(2, 0.5).batchSize(5).build()
        .scan(model, Dataset.of("rich " + SCRIPT, data));
    return report.withCanaries(List.of(
        new CanaryExposure("c0", "my pin is {digits:4}", "my pin is 1234 " + SCRIPT, 10, 3.5, 13.2, 13.29,
            "enumeration"),
        new CanaryExposure("c1", "key {hex:12}", "key 00ff00ff00ff", 0, 40.0, 0.7, 48, "skew-normal")));
  }

  @Test
  void jsonRoundTripsExactly(@TempDir Path dir) {
    AuditReport report = richReport();
    assertThat(report.summary().membership()).isNotEmpty();
    assertThat(report.summary().counterfactuallyMemorized().trials()).isEqualTo(report.summary().scanned());
    AuditReport back = AuditReport.fromJson(report.toJson());
    assertThat(back).isEqualTo(report);
    Path file = dir.resolve("sub/report.json");
    report.writeJson(file);
    assertThat(AuditReport.readJson(file)).isEqualTo(report);
    assertThat(back.toJson()).isEqualTo(report.toJson());
  }

  @Test
  void malformedJsonGivesADataFormatError() {
    assertThatThrownBy(() -> AuditReport.fromJson("{\"config\": 3}")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("audit report");
    assertThatThrownBy(() -> AuditReport.fromJson("not json")).isInstanceOf(DataFormatException.class);
  }

  @Test
  void htmlIsSelfContainedAndEscapesData(@TempDir Path dir) throws Exception {
    AuditReport report = richReport();
    String html = report.toHtml();
    assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;");
    assertThat(html).contains("<svg").contains("Membership inference").contains("Canary exposure")
        .contains("Memorization rate by group").contains("<del>").contains("<ins>");
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
    Path file = dir.resolve("report.html");
    report.writeHtml(file);
    assertThat(Files.readString(file)).isEqualTo(html);
  }
}
