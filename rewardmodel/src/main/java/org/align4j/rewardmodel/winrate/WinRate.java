package org.align4j.rewardmodel.winrate;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.align4j.core.util.Args;
import org.align4j.core.util.StableMath;
import org.align4j.rewardmodel.RewardModel;

/**
 * How often a judge prefers a model's response over a baseline's to the same prompt. A tie counts as half a win,
 * so a model against itself scores exactly 0.5. The length-controlled win rate fits
 * {@code P(model preferred) = sigmoid(a + b * d / s)}, {@code d} the length difference (model minus baseline) and
 * {@code s} its root mean square, and reports {@code sigmoid(a)}, the win rate at equal lengths; when every length
 * difference is zero, or the model wins (or loses) every comparison, it equals the raw win rate.
 *
 * @param comparisons the number of prompts compared
 * @param wins the comparisons the model won
 * @param ties the comparisons with equal judge scores
 * @param losses the comparisons the model lost
 * @param winRate {@code (wins + ties / 2) / comparisons}, in [0, 1]
 * @param lengthControlledWinRate the fitted win rate at zero length difference, in [0, 1]
 * @param lengthSlope the fitted change of the log-odds of a win per unit of length difference (0 when not fitted)
 * @param meanLength the model's mean response length
 * @param meanBaselineLength the baseline's mean response length
 */
public record WinRate(int comparisons, int wins, int ties, int losses, double winRate,
    double lengthControlledWinRate, double lengthSlope, double meanLength, double meanBaselineLength) {

  /** The slope's L2 penalty in the length-controlled fit (on the standardised length difference). */
  public static final double RIDGE = 0.1;

  /**
   * The win rate of scores {@code model[i]} over {@code baseline[i]} with response lengths {@code modelLength[i]}
   * and {@code baselineLength[i]}.
   *
   * @throws IllegalArgumentException when the arrays are empty, differ in length or hold a non-finite value
   */
  public static WinRate of(double[] model, double[] baseline, double[] modelLength, double[] baselineLength) {
    int n = model.length;
    Args.check(n > 0, "no comparisons");
    if (baseline.length != n || modelLength.length != n || baselineLength.length != n) {
      throw new IllegalArgumentException("scores and lengths must have " + n + " entries each");
    }
    requireFinite("model score", model);
    requireFinite("baseline score", baseline);
    requireFinite("model length", modelLength);
    requireFinite("baseline length", baselineLength);
    int wins = 0;
    int ties = 0;
    double[] y = new double[n];
    double[] d = new double[n];
    double squares = 0;
    double lengthSum = 0;
    double baselineLengthSum = 0;
    for (int i = 0; i < n; i++) {
      y[i] = model[i] > baseline[i] ? 1 : model[i] == baseline[i] ? 0.5 : 0;
      wins += model[i] > baseline[i] ? 1 : 0;
      ties += model[i] == baseline[i] ? 1 : 0;
      d[i] = modelLength[i] - baselineLength[i];
      squares += d[i] * d[i];
      lengthSum += modelLength[i];
      baselineLengthSum += baselineLength[i];
    }
    double raw = (wins + 0.5 * ties) / n;
    double scale = Math.sqrt(squares / n);
    double lc = raw;
    double slope = 0;
    if (scale > 0 && raw > 0 && raw < 1) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = d[i] / scale;
      }
      double[] ab = LogisticFit.fit(y, x, RIDGE);
      lc = StableMath.sigmoid(ab[0]);
      slope = ab[1] / scale;
    }
    return new WinRate(n, wins, ties, n - wins - ties, raw, lc, slope, lengthSum / n, baselineLengthSum / n);
  }

  /**
   * Judges {@code responses[i]} against {@code baseline[i]}, both answering {@code prompts[i]}, with lengths by
   * {@code length}.
   *
   * @param judgeName how errors name the judge, e.g. {@code "--judge rm.zip"}
   * @throws IllegalArgumentException when the lists differ in size or the judge returns a non-finite score
   */
  public static WinRate judge(RewardModel judge, String judgeName, List<String> prompts, List<String> responses,
      List<String> baseline, ToDoubleFunction<String> length) {
    int n = prompts.size();
    Args.check(responses.size() == n && baseline.size() == n,
        "prompts, responses and baseline responses must have the same size");
    double[] a = checked(judge.score(prompts, responses), judgeName, "model", prompts);
    double[] b = checked(judge.score(prompts, baseline), judgeName, "baseline", prompts);
    return of(a, b, responses.stream().mapToDouble(length).toArray(), baseline.stream().mapToDouble(length).toArray());
  }

  private static void requireFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(name + " " + i + " must be finite, got " + values[i]);
      }
    }
  }

  private static double[] checked(double[] scores, String judgeName, String whose, List<String> prompts) {
    if (scores.length != prompts.size()) {
      throw new IllegalArgumentException(judgeName + " returned " + scores.length + " scores for " + prompts.size()
          + " responses");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(judgeName + " returned " + scores[i] + " for the " + whose
            + "'s response to prompt " + (i + 1) + "; scores must be finite");
      }
    }
    return scores;
  }
}
