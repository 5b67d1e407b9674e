package org.align4j.rewardmodel.calibration.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.align4j.rewardmodel.calibration.Calibration;
import org.align4j.rewardmodel.calibration.CalibrationMethod;
import org.align4j.rewardmodel.calibration.Calibrator;
import org.align4j.rewardmodel.calibration.RewardPairs;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class CalibrationChartTest {

  private static final String ODD_NAME = "len<b>\"x\"&'y'";

  private static RewardPairs pairs(int n) {
    SplittableRandom rnd = new SplittableRandom(4);
    double[] cr = new double[n];
    double[] rr = new double[n];
    double[] cl = new double[n];
    double[] rl = new double[n];
    for (int i = 0; i < n; i++) {
      cl[i] = 13 + rnd.nextInt(380);
      rl[i] = 13 + rnd.nextInt(380);
      cr[i] = 0.004 * cl[i] + rnd.nextGaussian() * 0.3 + 0.2;
      rr[i] = 0.004 * rl[i] + rnd.nextGaussian() * 0.3 - 0.1;
    }
    return RewardPairs.of(cr, rr, cl, rl).withPenaltyFeature(cl, rl);
  }

  private static Document chart(CalibrationMethod method) throws Exception {
    RewardPairs pairs = pairs(60);
    Calibration c = Calibrator.builder().method(method).featureName(ODD_NAME).build().fit(pairs);
    String svg = CalibrationChart.svg(pairs, c.apply(pairs), c);
    // Well-formed XML: every data text escaped.
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document d) {
    List<String> out = new ArrayList<>();
    NodeList nodes = d.getElementsByTagName("text");
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void legendNamesEachColourAndTheFittedCurve() throws Exception {
    Document d = chart(CalibrationMethod.LWR);
    assertThat(texts(d)).contains("chosen response", "rejected response",
        "fitted bias (LOWESS of reward on the feature)");
    NodeList circles = d.getElementsByTagName("circle");
    int chosen = 0;
    int rejected = 0;
    for (int i = 0; i < circles.getLength(); i++) {
      Element c = (Element) circles.item(i);
      if (c.getNextSibling() instanceof Element label && label.getTagName().equals("text")) {
        assertThat(c.getAttribute("fill")).isEqualTo(label.getTextContent().startsWith("chosen")
            ? CalibrationChart.CHOSEN_COLOR : CalibrationChart.REJECTED_COLOR);
      } else if (c.getAttribute("fill").equals(CalibrationChart.CHOSEN_COLOR)) {
        chosen++;
      } else if (c.getAttribute("fill").equals(CalibrationChart.REJECTED_COLOR)) {
        rejected++;
      }
    }
    // Two panels, 60 pairs each: the chosen points are blue, the rejected red, as the legend says.
    assertThat(chosen).isEqualTo(120);
    assertThat(rejected).isEqualTo(120);
    assertThat(d.getElementsByTagName("polyline").getLength()).isEqualTo(1);

    Document penalty = chart(CalibrationMethod.PENALTY);
    assertThat(texts(penalty)).contains("chosen response", "rejected response")
        .noneMatch(t -> t.startsWith("fitted bias"));
  }

  @Test
  void axesHaveTitlesAndRoundTicks() throws Exception {
    List<String> texts = texts(chart(CalibrationMethod.LWR));
    assertThat(texts).contains("raw reward", "calibrated reward").filteredOn(ODD_NAME::equals).hasSize(2);
    assertThat(texts.get(0)).contains(ODD_NAME);
    // Lengths 13 to 392: ticks 0, 100, ..., 400 on each panel's x axis.
    for (String t : List.of("0", "100", "200", "300", "400")) {
      assertThat(texts).filteredOn(t::equals).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void tickCountInTheSvg() {
    RewardPairs pairs = pairs(60);
    Calibration c = Calibrator.builder().build().fit(pairs);
    String svg = CalibrationChart.svg(pairs, c.apply(pairs), c);
    Matcher m = Pattern.compile("class=\"tick\"").matcher(svg);
    int ticks = 0;
    while (m.find()) {
      ticks++;
    }
    // Two panels, two axes each, 4 to 12 ticks per axis.
    assertThat(ticks).isBetween(16, 48);
  }

  @Test
  void ticksAreRoundAndCoverTheRange() {
    assertThat(CalibrationChart.ticks(new double[] {2, 12}, 6)).containsExactly(2, 4, 6, 8, 10, 12);
    assertThat(CalibrationChart.ticks(new double[] {13, 392}, 6)).containsExactly(0, 100, 200, 300, 400);
    double[][] ranges = {{0.013, 0.987}, {-3.7, 41.2}, {-0.0042, -0.0011}, {1e6, 1e6 + 1}, {-250, 250}};
    for (double[] r : ranges) {
      double[] t = CalibrationChart.ticks(r, 6);
      assertThat(t.length).as(java.util.Arrays.toString(r)).isBetween(4, 12);
      assertThat(t[0]).isLessThanOrEqualTo(r[0]);
      assertThat(t[t.length - 1]).isGreaterThanOrEqualTo(r[1]);
      double step = (t[t.length - 1] - t[0]) / (t.length - 1);
      double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
      assertThat(List.of(1.0, 2.0, 5.0)).anySatisfy(v -> assertThat(mantissa).isCloseTo(v,
          org.assertj.core.api.Assertions.within(1e-6)));
      for (double v : t) {
        assertThat(Math.abs(v / step - Math.rint(v / step))).isLessThan(1e-6 * Math.max(1, Math.abs(v / step)));
      }
    }
  }
}
