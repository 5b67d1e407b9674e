package org.align4j.examples.study;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of the reward over-optimisation study.
 *
 * @param study always {@code overoptimization}
 * @param config its settings
 * @param gold what the gold reward is
 * @param sftGold the SFT policy's mean gold reward on the held-out prompts
 * @param proxies every proxy reward model trained, with its held-out agreement with the gold reward
 * @param curves one PPO and one best-of-n curve per reward setting
 * @param findings what the curves showed, computed from them
 * @param timings every stage's wall time
 * @param html where {@code study.html} was written
 * @param json where {@code study.json} was written
 */
public record OveroptimizationResult(String study, OveroptimizationConfig config, String gold, double sftGold,
    List<OveroptimizationProxy> proxies, List<OveroptimizationCurve> curves, List<String> findings,
    List<StageTiming> timings, String html, String json) {

  /** Validates and copies. */
  public OveroptimizationResult {
    Objects.requireNonNull(config, "config");
    proxies = List.copyOf(proxies);
    curves = List.copyOf(curves);
    findings = List.copyOf(findings);
    timings = List.copyOf(timings);
  }

  /** The curve of {@code setting} and {@code method}. */
  public OveroptimizationCurve curve(String setting, String method) {
    return curves.stream().filter(c -> c.setting().equals(setting) && c.method().equals(method)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + method + " curve for " + setting));
  }
}
