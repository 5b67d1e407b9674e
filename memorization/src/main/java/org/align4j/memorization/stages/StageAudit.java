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
import org.align4j.memorization.AuditConfig;
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
    List<String> stageNames = stages.stream().map(Stage::name).toList();
    List<String> splitNames = splits.stream().map(Split::name).toList();
    checkNames(stageNames, splitNames);
    String controlName = controlName(stages);
    Map<String, Map<String, List<Finding>>> findings = new LinkedHashMap<>();
    Map<String, List<Finding>> controlFindings = b.control == null ? null : new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Split split : splits) {
      List<TextExample> examples = materialize(split);
      sizes.put(split.name(), (long) examples.size());
      Dataset<TextExample> data = Dataset.of(split.data().name(), examples);
      Map<LanguageModel, AuditReport> byModel = new IdentityHashMap<>();
      if (b.control != null) {
        byModel.put(b.control, scan(controlName, split.name(), b.control, data));
        controlFindings.put(split.name(), byModel.get(b.control).findings());
      }
      for (Stage stage : stages) {
        AuditReport report = byModel.computeIfAbsent(stage.model(), m -> scan(stage.name(), split.name(), m, data));
        findings.computeIfAbsent(stage.name(), k -> new LinkedHashMap<>()).put(split.name(), report.findings());
      }
    }
    return assemble(stageNames, splitNames, sizes, findings, controlName, controlFindings);
  }

  /**
   * The settings of each scan of this stage audit, for scans that run elsewhere (align4j-beam's
   * {@code StageAuditPipeline} runs them on a cluster) and are then given to {@link #assemble}.
   */
  public AuditConfig auditConfig() {
    return auditor().build().config();
  }

  /**
   * The result of a stage audit whose scans ran elsewhere, with {@link #auditConfig()}'s settings: the same result
   * {@link #run} gives when each scan's findings are the ones {@code Auditor.scan} lists. This builder's control
   * model is not used; {@code controlName} and {@code controlFindings} say whether there was one.
   *
   * @param stages the stages' names, in order
   * @param splits the splits' names, in order
   * @param sizes the examples in each split
   * @param findings per stage and split, every finding of its scan in data order
   * @param controlName the control's name ({@link #CONTROL} or the stage it is), or null without a control
   * @param controlFindings per split, the control's findings in data order, or null without a control
   * @throws IllegalArgumentException when names repeat, a pair or the non-member split names nothing given, a
   *     stage or split has no findings or size, or the control is given by half
   */
  public StageAuditResult assemble(List<String> stages, List<String> splits, Map<String, Long> sizes,
      Map<String, Map<String, List<Finding>>> findings, String controlName, Map<String, List<Finding>>
      controlFindings) {
    checkNames(stages, splits);
    Args.check((controlName == null) == (controlFindings == null),
        "give both the control's name and its findings, or neither");
    for (String split : splits) {
      Args.check(sizes.containsKey(split), "no size for the split '%s'", split);
      Args.check(controlFindings == null || controlFindings.containsKey(split),
          "no control findings for the split '%s'", split);
      for (String stage : stages) {
        Args.check(findings.containsKey(stage) && findings.get(stage).containsKey(split),
            "no findings for the stage '%s' on the split '%s'", stage, split);
      }
    }
    List<StagePair> pairs = pairs(stages);
    StageAuditSettings settings = new StageAuditSettings(b.prefixTokens, b.suffixTokens, b.threshold, b.batchSize,
        b.seed, controlName, b.nonMemberSplit, b.membershipScore, b.piiKey, pairs);
    List<StageSplitAudit> cells = new ArrayList<>();
    for (String stage : stages) {
      for (String split : splits) {
        cells.add(StageCells.cell(settings, stage, split, sizes.get(split), findings.get(stage).get(split),
            controlFindings == null ? null : controlFindings.get(split),
            b.nonMemberSplit == null ? null : findings.get(stage).get(b.nonMemberSplit)));
      }
    }
    List<Transition> transitions = new ArrayList<>();
    for (StagePair pair : pairs) {
      for (String split : splits) {
        transitions.add(StageCells.transition(pair, split, findings.get(pair.from()).get(split),
            findings.get(pair.to()).get(split)));
      }
    }
    return new StageAuditResult(settings, stages, splits, sizes, cells, transitions);
  }

  /**
   * Checks the names of a stage audit's stages and splits against this builder's settings, as {@link #run} does
   * before any work.
   *
   * @throws IllegalArgumentException when a list is empty, a name repeats, or a pair or the non-member split names
   *     nothing given
   */
  public void checkNames(List<String> stageNames, List<String> splitNames) {
    Args.check(!stageNames.isEmpty(), "a stage audit needs at least one stage");
    Args.check(!splitNames.isEmpty(), "a stage audit needs at least one split");
    unique(stageNames, "stage");
    unique(splitNames, "split");
    Args.check(b.nonMemberSplit == null || splitNames.contains(b.nonMemberSplit),
        "the non-member split '%s' is not one of the splits %s", b.nonMemberSplit, splitNames);
    pairs(stageNames);
  }

  private Auditor.Builder auditor() {
    return Auditor.builder().prefixTokens(b.prefixTokens).suffixTokens(b.suffixTokens)
        .threshold(b.threshold).batchSize(b.batchSize).threads(b.threads).seed(b.seed).membershipScores(true);
  }

  private AuditReport scan(String model, String split, LanguageModel m, Dataset<TextExample> data) {
    Auditor.Builder auditor = auditor();
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
          "the transition %s -> %s names a stage that is not one of %s", p.from(), p.to(), stageNames);
      pairs.add(p);
    }
    return List.copyOf(pairs);
  }

  private static void unique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      Args.check(seen.add(n), "the %s name '%s' is given twice", what, n);
    }
  }

  private static List<TextExample> materialize(Split split) {
    List<TextExample> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (Stream<TextExample> s = split.data().stream()) {
      s.forEach(e -> {
        Args.check(ids.add(e.id()), "the example id '%s' repeats within the split '%s'", e.id(), split.name());
        out.add(e);
      });
    }
    Args.check(!out.isEmpty(), "the split '%s' holds no examples", split.name());
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
