package org.align4j.memorization;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.LanguageModel;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.memorization.distance.Levenshtein;
import org.align4j.memorization.inference.MembershipScores;

/**
 * Audits one batch of examples. Holds only immutable state, so batches may run on several threads at once; every
 * random choice derives from the configured seed and the batch's index, never from thread timing.
 */
final class BatchAuditor {

  /** One prompt/target window of an example. */
  private record Window(int example, int offset, int[] prompt, int[] target) {}

  /** The comparison of a continuation with its target. */
  private record Scored(int[] generated, int distance, double normalized, boolean exact, boolean memorized) {}

  private final AuditConfig config;
  private final LanguageModel model;
  private final LanguageModel control;
  private final LanguageModel reference;
  private final CancellationToken token;
  private final Tokenizer tokenizer;

  BatchAuditor(AuditConfig config, LanguageModel model, LanguageModel control, LanguageModel reference,
      CancellationToken token) {
    this.config = config;
    this.model = model;
    this.control = control;
    this.reference = reference;
    this.token = token;
    this.tokenizer = model.tokenizer();
  }

  List<AuditOutcome> process(List<TextExample> batch, long batchIndex) {
    int n = batch.size();
    int p = config.prefixTokens();
    int s = config.suffixTokens();
    int[][] tokens = new int[n][];
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TextExample example = batch.get(i);
      tokens[i] = tokenizer.encode(example.text());
      checkIds(tokens[i], "the tokenizer encoded example '" + example.id() + "' to");
      for (int offset : config.prefixOffsets()) {
        if (offset + p + s <= tokens[i].length) {
          windows.add(new Window(i, offset, prompt(tokens[i], offset), Arrays.copyOfRange(tokens[i],
              offset + p, offset + p + s)));
        }
      }
    }
    checkCancelled();
    List<int[]> prompts = windows.stream().map(Window::prompt).toList();
    GenerationConfig greedy = GenerationConfig.greedy(s);
    List<Scored> scored = score(windows, generate(model, prompts, greedy, "model"));
    long generatedTokens = scored.stream().mapToLong(x -> x.generated().length).sum();
    List<Scored> controlScored = null;
    if (control != null) {
      checkCancelled();
      controlScored = score(windows, generate(control, prompts, greedy, "control model"));
    }
    // The reported window of each example: counterfactually memorized first, then the smallest distance.
    int[] best = new int[n];
    Arrays.fill(best, -1);
    for (int w = 0; w < windows.size(); w++) {
      int e = windows.get(w).example();
      if (best[e] < 0 || better(w, best[e], scored, controlScored)) {
        best[e] = w;
      }
    }
    boolean[] counterfactual = new boolean[n];
    if (controlScored != null) {
      for (int w = 0; w < windows.size(); w++) {
        if (scored.get(w).memorized() && !controlScored.get(w).memorized()) {
          counterfactual[windows.get(w).example()] = true;
        }
      }
    }
    List<Integer> audited = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (best[i] >= 0) {
        audited.add(i);
      }
    }
    int[] successes = new int[n];
    if (config.samples() > 0 && !audited.isEmpty()) {
      List<Window> chosen = audited.stream().map(i -> windows.get(best[i])).toList();
      List<int[]> chosenPrompts = chosen.stream().map(Window::prompt).toList();
      for (int k = 0; k < config.samples(); k++) {
        checkCancelled();
        long seed = Seeds.mix(config.seed(), batchIndex, k);
        GenerationConfig sampling = GenerationConfig.sampling(s, config.temperature(), seed);
        List<Scored> sampled = score(chosen, generate(model, chosenPrompts, sampling, "model"));
        for (int j = 0; j < chosen.size(); j++) {
          generatedTokens += sampled.get(j).generated().length;
          if (sampled.get(j).memorized()) {
            successes[chosen.get(j).example()]++;
          }
        }
      }
    }
    MembershipScores[] membership = new MembershipScores[n];
    if (config.membershipScores() && !audited.isEmpty()) {
      checkCancelled();
      membership(audited, tokens, membership);
    }
    List<AuditOutcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (best[i] < 0) {
        outcomes.add(new AuditOutcome(null, 0));
        continue;
      }
      outcomes.add(new AuditOutcome(finding(batch.get(i), windows.get(best[i]), scored.get(best[i]),
          controlScored == null ? null : controlScored.get(best[i]), controlScored == null ? null
              : counterfactual[i], successes[i], membership[i]), 0));
    }
    // The batch's generated-token count rides on its first outcome.
    if (!outcomes.isEmpty()) {
      AuditOutcome first = outcomes.get(0);
      outcomes.set(0, new AuditOutcome(first.finding(), generatedTokens));
    }
    return outcomes;
  }

  private boolean better(int w, int current, List<Scored> scored, List<Scored> controlScored) {
    if (controlScored != null) {
      boolean cw = scored.get(w).memorized() && !controlScored.get(w).memorized();
      boolean cc = scored.get(current).memorized() && !controlScored.get(current).memorized();
      if (cw != cc) {
        return cw;
      }
    }
    return scored.get(w).normalized() < scored.get(current).normalized();
  }

  private Finding finding(TextExample example, Window window, Scored scored, Scored controlScored,
      Boolean counterfactual, int successes, MembershipScores membership) {
    int redact = config.redactVisibleChars();
    ControlResult controlResult = controlScored == null ? null : new ControlResult(
        Redaction.redact(tokenizer.decode(controlScored.generated()), redact), controlScored.distance(),
        controlScored.normalized(), controlScored.memorized());
    Extraction extraction = config.samples() > 0 ? Extraction.of(config.samples(), successes) : null;
    int bos = config.prependBos() ? 1 : 0;
    int[] prefix = Arrays.copyOfRange(window.prompt(), bos, window.prompt().length);
    return new Finding(example.id(), window.offset(), Redaction.redact(tokenizer.decode(prefix), redact),
        Redaction.redact(tokenizer.decode(window.target()), redact),
        Redaction.redact(tokenizer.decode(scored.generated()), redact), window.target().length,
        scored.generated().length, scored.distance(), scored.normalized(), scored.exact(), scored.memorized(),
        controlResult, counterfactual, extraction, membership, example.metadata());
  }

  private void membership(List<Integer> audited, int[][] tokens, MembershipScores[] out) {
    int bos = config.prependBos() ? 1 : 0;
    int room = model.contextLength() - bos;
    List<int[]> sequences = new ArrayList<>(audited.size());
    List<int[]> scoredTokens = new ArrayList<>(audited.size());
    for (int i : audited) {
      int[] text = Arrays.copyOf(tokens[i], Math.min(tokens[i].length, room));
      int[] sequence = new int[text.length + bos];
      if (bos == 1) {
        sequence[0] = tokenizer.bosId();
      }
      System.arraycopy(text, 0, sequence, bos, text.length);
      sequences.add(sequence);
      scoredTokens.add(text);
    }
    List<float[]> logProbs = logProbs(model, sequences, "model");
    List<float[]> referenceLogProbs = reference == null ? null : logProbs(reference, sequences, "reference model");
    for (int j = 0; j < audited.size(); j++) {
      byte[] utf8 = tokenizer.decode(scoredTokens.get(j)).getBytes(StandardCharsets.UTF_8);
      if (utf8.length == 0) {
        utf8 = new byte[] {0};
      }
      out[audited.get(j)] = MembershipScores.compute(logProbs.get(j), utf8,
          referenceLogProbs == null ? null : referenceLogProbs.get(j), config.minKPercent());
    }
  }

  private List<float[]> logProbs(LanguageModel m, List<int[]> sequences, String role) {
    List<float[]> out = m.tokenLogProbs(sequences);
    if (out == null || out.size() != sequences.size()) {
      throw new IllegalStateException("the " + role + " returned " + (out == null ? "null" : out.size())
          + " log-probability arrays for " + sequences.size() + " sequences");
    }
    for (int j = 0; j < out.size(); j++) {
      if (out.get(j).length != sequences.get(j).length - 1) {
        throw new IllegalStateException("the " + role + " returned " + out.get(j).length
            + " log-probabilities for a sequence of " + sequences.get(j).length + " tokens");
      }
    }
    return out;
  }

  private int[] prompt(int[] tokens, int offset) {
    int bos = config.prependBos() ? 1 : 0;
    int[] prompt = new int[config.prefixTokens() + bos];
    if (bos == 1) {
      prompt[0] = tokenizer.bosId();
    }
    System.arraycopy(tokens, offset, prompt, bos, config.prefixTokens());
    return prompt;
  }

  private List<int[]> generate(LanguageModel m, List<int[]> prompts, GenerationConfig generation, String role) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    List<int[]> out = m.generate(prompts, generation);
    if (out == null || out.size() != prompts.size()) {
      throw new IllegalStateException("the " + role + " returned " + (out == null ? "null" : out.size())
          + " continuations for " + prompts.size() + " prompts");
    }
    List<int[]> stripped = new ArrayList<>(out.size());
    for (int[] g : out) {
      checkIds(g, "the " + role + " generated");
      int end = 0;
      while (end < g.length && g[end] != tokenizer.eosId()) {
        end++;
      }
      stripped.add(end == g.length ? g : Arrays.copyOf(g, end));
    }
    return stripped;
  }

  private List<Scored> score(List<Window> windows, List<int[]> generated) {
    List<Scored> out = new ArrayList<>(windows.size());
    for (int w = 0; w < windows.size(); w++) {
      int[] target = windows.get(w).target();
      int[] g = generated.get(w);
      int distance = Levenshtein.distance(target, g);
      double normalized = config.normalization().normalize(distance, target.length, g.length);
      out.add(new Scored(g, distance, normalized, Arrays.equals(target, g), normalized <= config.threshold()));
    }
    return out;
  }

  private void checkIds(int[] ids, String what) {
    int vocab = tokenizer.vocabSize();
    for (int id : ids) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(what + " token id " + id + ", outside the tokenizer's vocabulary [0, "
            + vocab + "): the model and its tokenizer do not match");
      }
    }
  }

  private void checkCancelled() {
    if (token.isCancelled()) {
      throw new CancellationException("audit scan cancelled");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("audit scan interrupted");
    }
  }
}
