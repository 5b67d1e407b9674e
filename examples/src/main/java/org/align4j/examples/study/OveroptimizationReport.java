package org.align4j.examples.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.io.RecordJson;

/** The over-optimisation study's outputs: {@code study.json}, {@code study.html}, the findings and the table. */
public final class OveroptimizationReport {

  private static final ObjectMapper PRETTY = RecordJson.mapperBuilder()
      .enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final ObjectMapper COMPACT = RecordJson.mapperBuilder().build();

  private OveroptimizationReport() {}

  static OveroptimizationResult write(OveroptimizationConfig c, double sftGold, List<OveroptimizationProxy> proxies,
      List<OveroptimizationCurve> curves, List<StageTiming> timings) {
    Path html = c.outputDir().resolve("study.html");
    Path json = c.outputDir().resolve("study.json");
    OveroptimizationResult result = new OveroptimizationResult("overoptimization", c,
        OveroptimizationGold.DESCRIPTION, sftGold, proxies, curves, findings(c, curves), timings, html.toString(),
        json.toString());
    AtomicFiles.writeString(json, toJson(result, true));
    AtomicFiles.writeString(html, OveroptimizationPage.html(result));
    return result;
  }

  /** The result as one JSON object (every field of the result record). */
  public static String toJson(OveroptimizationResult r, boolean pretty) {
    return RecordJson.write(pretty ? PRETTY : COMPACT, r);
  }

  /** Reads a result written by {@link #toJson}. */
  public static OveroptimizationResult fromJson(String json, String source) {
    return RecordJson.read(COMPACT, json, OveroptimizationResult.class, source, "an over-optimisation study");
  }

  /** Where each curve's gold reward peaked, and each ensemble beside the single proxy of its pairs. */
  static List<String> findings(OveroptimizationConfig c, List<OveroptimizationCurve> curves) {
    List<String> out = new ArrayList<>();
    for (OveroptimizationCurve curve : curves) {
      out.add(curve.setting() + " " + curve.method() + ": " + peak(curve.peak()));
    }
    String single = "proxy-" + c.ensemblePairs();
    for (String method : List.of("ppo", "best-of-n")) {
      OveroptimizationPeak base = find(curves, single, method).peak();
      for (String e : OveroptimizationStudy.ENSEMBLES) {
        OveroptimizationPeak p = find(curves, e, method).peak();
        String turn = !p.withinRange() && base.withinRange() ? "did not turn within the range, the single proxy did"
            : p.withinRange() && !base.withinRange() ? "turned, the single proxy did not within the range"
            : !p.withinRange() ? "neither turned within the range"
            : String.format(Locale.ROOT, "turned at KL %.3f against %.3f (%s)", p.kl(), base.kl(),
                p.kl() > base.kl() ? "later" : p.kl() < base.kl() ? "earlier" : "at the same KL");
        out.add(String.format(Locale.ROOT, "%s %s against %s (same %d pairs): gold peak %.4f against %.4f; %s",
            e, method, single, c.ensemblePairs(), p.gold(), base.gold(), turn));
      }
    }
    return out;
  }

  private static OveroptimizationCurve find(List<OveroptimizationCurve> curves, String setting, String method) {
    return curves.stream().filter(x -> x.setting().equals(setting) && x.method().equals(method)).findFirst()
        .orElseThrow();
  }

  /** A peak as a sentence. */
  static String peak(OveroptimizationPeak p) {
    return p.withinRange()
        ? String.format(Locale.ROOT, "gold peaked at KL %.3f (step %d, gold %.4f) and fell after", p.kl(), p.step(),
            p.gold())
        : String.format(Locale.ROOT, "gold did not peak within the range (KL up to %.3f): highest at the last "
            + "point, KL %.3f, gold %.4f", p.maxKl(), p.kl(), p.gold());
  }

  /** The tables: the proxies, each curve's points and peak, the findings and the stage times. */
  public static String table(OveroptimizationResult r) {
    StringBuilder s = new StringBuilder();
    s.append(r.gold()).append('\n');
    s.append(String.format(Locale.ROOT, "SFT policy's mean gold reward on held-out prompts: %.4f%n%n", r.sftGold()));
    s.append(String.format(Locale.ROOT, "%-14s %6s %18s %8s%n", "proxy", "pairs", "held-out agreement", "seconds"));
    for (OveroptimizationProxy p : r.proxies()) {
      s.append(String.format(Locale.ROOT, "%-14s %6d %18.3f %8.1f%n", p.name(), p.pairs(), p.heldOutAccuracy(),
          p.seconds()));
    }
    for (OveroptimizationCurve curve : r.curves()) {
      s.append('\n').append("== ").append(curve.setting()).append(' ').append(curve.method()).append('\n');
      s.append(String.format(Locale.ROOT, "%6s %8s %8s %9s %9s%n", curve.method().equals("ppo") ? "iter" : "n",
          "KL", "sqrtKL", "proxy", "gold"));
      for (OveroptimizationPoint p : curve.points()) {
        s.append(String.format(Locale.ROOT, "%6d %8.3f %8.3f %9.4f %9.4f%n", p.step(), p.kl(), p.sqrtKl(),
            p.proxy(), p.gold()));
      }
      s.append(peak(curve.peak())).append('\n');
    }
    s.append('\n');
    r.findings().forEach(f -> s.append("- ").append(f).append('\n'));
    s.append("stage times (shared machine): ").append(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList())).append('\n');
    s.append("report: ").append(r.html()).append(" and ").append(r.json()).append('\n');
    return s.toString();
  }
}
