package org.align4j.examples.study;

import static org.align4j.examples.study.DpAlignmentPage.escape;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code study.html} of the length-bias study, offline: the notes, the curves (inline SVG: PPO's response length
 * and reward per iteration, and each policy's held-out length, gold reward and win rates) and the tables. Every
 * text taken from data or settings is escaped.
 */
final class LengthBiasPage {

  /** The title; also how an existing {@code study.html} is recognised as this study's. */
  static final String TITLE = "align4j length-bias study";

  private LengthBiasPage() {}

  static String html(LengthBiasResult r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(TITLE)
        .append("</title><style>body{font-family:sans-serif;max-width:980px;margin:2em auto}table{border-collapse:"
            + "collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>");
    h.append("<h1>").append(TITLE).append("</h1>");
    h.append("<p>").append(escape(r.gold())).append("</p><p>").append(escape(r.labeller())).append("</p>");
    LengthBiasRewardModel m = r.rewardModel();
    h.append("<p>").append(escape(String.format(Locale.ROOT, "Labels: %.3f agree with the gold reward, %.3f chose "
        + "the longer response. Reward model on %d held-out responses: gold accuracy %.3f raw, %.3f calibrated; "
        + "Spearman with length %.3f raw, %.3f calibrated (RC-LWR, LOWESS).", m.labelGoldAgreement(),
        m.labelLongerChosen(), m.calibrationPoints(), m.rawGoldAccuracy(), m.calibratedGoldAccuracy(),
        m.rawLengthSpearman(), m.calibratedLengthSpearman()))).append("</p>");

    h.append("<h2>PPO over training</h2>");
    List<LengthBiasPolicy> ppo = r.policies().stream().filter(p -> p.name().startsWith("ppo")).toList();
    int iterations = ppo.stream().mapToInt(p -> p.lengthCurve().size()).max().orElse(1);
    List<String> x = IntStream.rangeClosed(1, iterations).mapToObj(Integer::toString).toList();
    List<String> names = ppo.stream().map(LengthBiasPolicy::name).toList();
    double maxLength = ppo.stream().flatMap(p -> p.lengthCurve().stream()).mapToDouble(Double::doubleValue).max()
        .orElse(1);
    h.append(DpAlignmentPage.chart("mean rollout response length (tokens)", "PPO iteration", x, names,
        ppo.stream().map(p -> curve(p.lengthCurve(), iterations)).toList(), Math.max(1, maxLength * 1.1)));
    double maxReward = ppo.stream().flatMap(p -> p.rewardCurve().stream()).mapToDouble(Math::abs).max().orElse(1);
    h.append("<p>The reward each PPO run was trained on (raw or calibrated; the chart starts at 0, so negative "
        + "values sit on the axis: see the JSON for the numbers).</p>");
    h.append(DpAlignmentPage.chart("mean training reward", "PPO iteration", x, names,
        ppo.stream().map(p -> curve(p.rewardCurve(), iterations)).toList(), Math.max(1e-9, maxReward * 1.1)));

    h.append("<h2>Every policy on the held-out prompts</h2>");
    List<String> policies = r.policies().stream().map(LengthBiasPolicy::name).toList();
    double maxHeld = r.policies().stream().mapToDouble(LengthBiasPolicy::meanLength).max().orElse(1);
    h.append(DpAlignmentPage.chart("mean response length (characters)", "policy", policies, List.of("length"),
        List.of(series(r, LengthBiasPolicy::meanLength)), Math.max(1, maxHeld * 1.1)));
    h.append(DpAlignmentPage.chart("gold reward and win rates against SFT (by the gold reward)", "policy", policies,
        List.of("gold reward", "win rate", "length-controlled win rate"), List.of(series(r,
            LengthBiasPolicy::meanGold), series(r, LengthBiasPolicy::winRate), series(r,
            LengthBiasPolicy::lcWinRate)), 1));
    h.append("<table><tr><th>policy</th><th>DPO pairs</th><th>length</th><th>gold</th><th>raw reward</th>"
        + "<th>calibrated reward</th><th>win rate</th><th>LC win rate</th><th>length curve</th></tr>");
    for (LengthBiasPolicy p : r.policies()) {
      h.append("<tr><td>").append(escape(p.name())).append("</td>").append(String.format(Locale.ROOT,
          "<td>%d</td><td>%.2f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>", p.pairs(),
          p.meanLength(), p.meanGold(), p.meanRawReward(), p.meanCalibratedReward(), p.winRate(), p.lcWinRate()))
          .append("<td>").append(escape(String.join(" ", p.lengthCurve().stream()
              .map(v -> String.format(Locale.ROOT, "%.1f", v)).toList()))).append("</td></tr>");
    }
    h.append("</table>");
    h.append("<h2>Reward-model ranking of the policies</h2><p>").append(escape(String.format(Locale.ROOT,
        "Spearman correlation over %d policies between the reward model's mean reward and the gold reward: raw "
            + "%.3f, calibrated %.3f.", r.rankingPolicies(), r.rawRankingSpearman(), r.calibratedRankingSpearman())))
        .append("</p>");
    h.append("<h2>Settings</h2><pre>").append(escape(r.config().toString())).append("</pre>");
    h.append("<p>Stage times (a shared machine, under load): ").append(escape(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList()))).append("</p>");
    return h.append("</body></html>\n").toString();
  }

  private static double[] curve(List<Double> values, int size) {
    double[] out = new double[size];
    java.util.Arrays.fill(out, Double.NaN);
    for (int i = 0; i < values.size(); i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static double[] series(LengthBiasResult r, java.util.function.ToDoubleFunction<LengthBiasPolicy> f) {
    return r.policies().stream().mapToDouble(f).toArray();
  }
}
