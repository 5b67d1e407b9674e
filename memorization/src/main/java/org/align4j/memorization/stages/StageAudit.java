package org.align4j.memorization.stages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.util.Args;
import org.align4j.memorization.AuditReport;
import org.align4j.memorization.Auditor;
import org.align4j.memorization.Finding;
import org.align4j.memorization.inference.ScoreKind;

/**
 * Audits the models of a pipeline (named stages, in order) on named data splits in one call (Pappu et al. 2024).
 * Each split is read once and held in memory; every model, and the control model once, is scanned on it with the
 * same {@link Auditor} settings (one prompt window per example, greedy decoding), so the counterfactual rule
 * compares each stage's outcome with the control's outcome on the same window without generating the control's
 * continuations again for every stage.
 *
 * <pre>{@code
 * StageAuditResult r = StageAudit.builder().prefixTokens(32).suffixTokens(48).control(control)
 *     .nonMemberSplit("heldout").build()
 *     .run(List.of(new Stage("sft", sft), new Stage("ppo", ppo)),
 *          List.of(new Split("sft-data", sftData), new Split("heldout", heldOut)));
 * }</pre>
 */
public final class StageAudit {

  /** The name under which a control model that is not one of the stages is scanned. */
  public static final String CONTROL = "control";

  /** The key of the control's scans among the stages' (no stage can be named so: it starts with NUL). */
  private static final String CONTROL_KEY = "\u0000control";

  private final Builder b;

  private StageAudit(Builder b) {
    this.b = b;
  }

  /** A builder with the defaults (32 prefix and 48 suffix tokens, threshold 0.1, consecutive transitions). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Audits every stage on every split.
   *
   * @throws IllegalArgumentException when a list is empty, names repeat, a pair or the non-member split names
   *     nothing given, an id repeats within a split, or a split is empty
   */
  public StageAuditResult run(List<Stage> stages, List<Split> splits) {
    Args.check(!stages.isEmpty(), "a stage audit needs at least one stage");
    Args.check(!splits.isEmpty(), "a stage audit needs at least one split");
    List<String> stageNames = unique(stages.stream().map(Stage::name).toList(), "stage");
    List<String> splitNames = unique(splits.stream().map(Split::name).toList(), "split");
    Args.check(b.nonMemberSplit == null || splitNames.contains(b.nonMemberSplit),
        "the non-member split '" + b.nonMemberSplit + "' is not one of the splits " + splitNames);
    List<StagePair> pairs = pairs(stageNames);
    String controlName = controlName(stages);
    Map<String, Map<String, AuditReport>> reports = new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Split split : splits) {
      List<TextExample> examples = materialize(split);
      sizes.put(split.name(), (long) examples.size());
      Dataset<TextExample> data = Dataset.of(split.data().name(), examples);
      Map<LanguageModel, AuditReport> byModel = new IdentityHashMap<>();
      if (b.control != null) {
        byModel.put(b.control, scan(controlName, split.name(), b.control, data));
      }
      for (Stage stage : stages) {
        AuditReport report = byModel.computeIfAbsent(stage.model(), m -> scan(stage.name(), split.name(), m, data));
        reports.computeIfAbsent(stage.name(), k -> new LinkedHashMap<>()).put(split.name(), report);
      }
      if (b.control != null) {
        reports.computeIfAbsent(CONTROL_KEY, k -> new LinkedHashMap<>()).put(split.name(), byModel.get(b.control));
      }
    }
    StageAuditSettings settings = new StageAuditSettings(b.prefixTokens, b.suffixTokens, b.threshold, b.batchSize,
        b.seed, controlName, b.nonMemberSplit, b.membershipScore, b.piiKey, pairs);
    List<StageSplitAudit> cells = new ArrayList<>();
    for (String stage : stageNames) {
      for (String split : splitNames) {
        cells.add(StageCells.cell(settings, stage, split, sizes.get(split), reports.get(stage).get(split),
            b.control == null ? null : reports.get(CONTROL_KEY).get(split),
            b.nonMemberSplit == null ? null : reports.get(stage).get(b.nonMemberSplit)));
      }
    }
    List<Transition> transitions = new ArrayList<>();
    for (StagePair pair : pairs) {
      for (String split : splitNames) {
        transitions.add(StageCells.transition(pair, split, reports.get(pair.from()).get(split),
            reports.get(pair.to()).get(split)));
      }
    }
    return new StageAuditResult(settings, stageNames, splitNames, sizes, cells, transitions);
  }

  private AuditReport scan(String model, String split, LanguageModel m, Dataset<TextExample> data) {
    Auditor.Builder auditor = Auditor.builder().prefixTokens(b.prefixTokens).suffixTokens(b.suffixTokens)
        .threshold(b.threshold).batchSize(b.batchSize).threads(b.threads).seed(b.seed).membershipScores(true);
    if (b.listener != null) {
      auditor.listener(p -> b.listener.onProgress(model, split, p));
    }
    return auditor.build().scan(m, data);
  }

  private String controlName(List<Stage> stages) {
    if (b.control == null) {
      return null;
    }
    for (Stage s : stages) {
      if (s.model() == b.control) {
        return s.name();
      }
    }
    return CONTROL;
  }

  private List<StagePair> pairs(List<String> stageNames) {
    Set<StagePair> pairs = new LinkedHashSet<>();
    if (b.consecutive) {
      for (int i = 1; i < stageNames.size(); i++) {
        pairs.add(new StagePair(stageNames.get(i - 1), stageNames.get(i)));
      }
    }
    for (StagePair p : b.pairs) {
      Args.check(stageNames.contains(p.from()) && stageNames.contains(p.to()),
          "the transition " + p.from() + " -> " + p.to() + " names a stage that is not one of " + stageNames);
      pairs.add(p);
    }
    return List.copyOf(pairs);
  }

  private static List<String> unique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      Args.check(seen.add(n), "the " + what + " name '" + n + "' is given twice");
    }
    return names;
  }

  private static List<TextExample> materialize(Split split) {
    List<TextExample> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (Stream<TextExample> s = split.data().stream()) {
      s.forEach(e -> {
        Args.check(ids.add(e.id()), "the example id '" + e.id() + "' repeats within the split '" + split.name()
            + "'");
        out.add(e);
      });
    }
    Args.check(!out.isEmpty(), "the split '" + split.name() + "' holds no examples");
    return out;
  }

  /** Configures a {@link StageAudit}; every setting has a validated default. */
  public static final class Builder {
    private int prefixTokens = 32;
    private int suffixTokens = 48;
    private double threshold = 0.1;
    private int batchSize = 16;
    private int threads = 1;
    private long seed;
    private LanguageModel control;
    private String nonMemberSplit;
    private ScoreKind membershipScore = ScoreKind.LOSS;
    private String piiKey = "pii_value";
    private boolean consecutive = true;
    private final List<StagePair> pairs = new ArrayList<>();
    private StageAuditListener listener;

    private Builder() {}

    /** Prompt tokens of each example (default 32). */
    public Builder prefixTokens(int n) {
      this.prefixTokens = Args.positive("prefixTokens", n);
      return this;
    }

    /** Target tokens after the prompt (default 48). */
    public Builder suffixTokens(int n) {
      this.suffixTokens = Args.positive("suffixTokens", n);
      return this;
    }

    /** Largest normalised edit distance still counted as memorized, in [0, 1] (default 0.1). */
    public Builder threshold(double t) {
      this.threshold = Args.inClosed("threshold", t, 0, 1);
      return this;
    }

    /** Examples per batch of prompts (default 16). */
    public Builder batchSize(int n) {
      this.batchSize = Args.positive("batchSize", n);
      return this;
    }

    /** Worker threads of each scan (default 1). */
    public Builder threads(int n) {
      this.threads = Args.positive("threads", n);
      return this;
    }

    /** Seed of every random choice (default 0). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * The control model of the counterfactual rule: trained like the stages without the audited data. It may be
     * one of the stages (then scanned once).
     */
    public Builder control(LanguageModel model) {
      this.control = Objects.requireNonNull(model, "control");
      return this;
    }

    /** The split no stage was trained on: membership AUCs separate each other split from it. */
    public Builder nonMemberSplit(String split) {
      this.nonMemberSplit = Objects.requireNonNull(split, "nonMemberSplit");
      return this;
    }

    /** The membership-inference score behind the AUC (default the loss). */
    public Builder membershipScore(ScoreKind kind) {
      this.membershipScore = Objects.requireNonNull(kind, "membershipScore");
      return this;
    }

    /** Metadata key holding an example's planted PII string (default {@code "pii_value"}). */
    public Builder piiKey(String key) {
      this.piiKey = Objects.requireNonNull(key, "piiKey");
      return this;
    }

    /** Whether each stage is compared with the one before it (default true). */
    public Builder consecutiveTransitions(boolean compare) {
      this.consecutive = compare;
      return this;
    }

    /** Also compares stage {@code from} with stage {@code to}. */
    public Builder transition(String from, String to) {
      pairs.add(new StagePair(from, to));
      return this;
    }

    /** Receives the progress of every scan. */
    public Builder listener(StageAuditListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** The configured stage audit. */
    public StageAudit build() {
      return new StageAudit(this);
    }
  }
}
