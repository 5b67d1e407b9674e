package org.align4j.examples.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The study page escapes every text it draws, and its charts place one point per epsilon, skipping NaN. */
class DpAlignmentPageTest {

  @Test
  void escapesMarkupInTitlesLabelsAndSeriesNames() {
    assertThat(DpAlignmentPage.escape("<a href='x'>\"&\"</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    String svg = DpAlignmentPage.chart("<script>t</script>", List.of("1", "<b>"), List.of("s&p"),
        List.of(new double[] {0.5, Double.NaN}), 1);
    assertThat(svg).doesNotContain("<script>").doesNotContain("<b>").contains("&lt;script&gt;")
        .contains("s&amp;p").contains("&lt;b&gt;");
    assertThat(svg.split("<circle", -1)).hasSize(2);
  }

  @Test
  void placesPointsOnTheScaleFromZeroToTheMaximum() {
    String svg = DpAlignmentPage.chart("t", List.of("1", "2", "inf"), List.of("a"),
        List.of(new double[] {0, 0.5, 1}), 1);
    // plot area: y from 30 (top, value 1) to 210 (bottom, value 0); x from 50 in steps of 190
    assertThat(svg).contains("points=\"50.0,210.0 240.0,120.0 430.0,30.0\"");
  }
}
