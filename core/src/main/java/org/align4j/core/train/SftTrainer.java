package org.align4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.TextExample;
import org.align4j.core.dp.DpRun;
import org.align4j.core.dp.DpSgdConfig;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.SequenceNllLoss;
import org.align4j.core.dp.TokenSequence;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.model.internal.TokenCrossEntropy;
import org.align4j.core.model.internal.TransformerBackprop;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised fine-tuning of a {@link TransformerLm} by next-token prediction: AdamW, linear warm-up and cosine
 * decay, clipping by global gradient norm, evaluation loss and early stopping (restoring the best weights), all
 * reproducible from the configured seed.
 *
 * <p>Each example is one sequence {@code BOS + text + EOS}. A sequence longer than the context is truncated to it
 * (keeping its beginning; the count is logged and returned in {@link TrainingResult#truncatedExamples()}). With
 * {@link SftExample}s the loss covers only the completion. The tokenized data is held in memory.
 *
 * <p>Training stops with a {@link TrainingDivergedException} at the first step whose loss or gradient norm is not
 * finite, before that step's update.
 *
 * <p>With privacy settings ({@link SftConfig#privacy()}) the run trains by DP-SGD with example-level privacy
 * ({@link DpRun}): Poisson samples, each example's gradient of its own mean token loss ({@link SequenceNllLoss})
 * clipped, Gaussian noise, the accountant's epsilon in {@link TrainingResult#privacy()} and in the model's history.
 * Evaluation data is then evaluated once, after training (no early stopping).
 *
 * <p>The model's weights are updated in place; the returned result carries the same model with its history
 * extended by this stage: the training data's name and fingerprint, the settings, the seed and the steps.
 */
public final class SftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

  private final SftConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public SftTrainer(SftConfig config, TrainingListener... listeners) {
    this.config = config;
    this.listeners = List.of(listeners);
  }

  /** Tokenized data with its bookkeeping. */
  private record Encoded(List<TokenSequence> sequences, int truncated, int skipped, String sha256) {}

  /** Trains on whole texts without evaluation. */
  public TrainingResult train(TransformerLm model, Dataset<TextExample> train) {
    return train(model, train, null);
  }

  /** Trains on whole texts, evaluating on {@code eval} (may be null). */
  public TrainingResult train(TransformerLm model, Dataset<TextExample> train, Dataset<TextExample> eval) {
    Tokenizer tok = model.tokenizer();
    Encoded data = encodeTexts(train, tok, model.contextLength());
    Encoded evalData = eval == null ? null : encodeTexts(eval, tok, model.contextLength());
    return run(model, train.name(), data, evalData);
  }

  /** Trains on prompt/completion pairs, the loss covering completions only; {@code eval} may be null. */
  public TrainingResult trainOnCompletions(
      TransformerLm model, Dataset<SftExample> train, Dataset<SftExample> eval) {
    Tokenizer tok = model.tokenizer();
    Encoded data = encodeCompletions(train, tok, model.contextLength());
    Encoded evalData = eval == null ? null : encodeCompletions(eval, tok, model.contextLength());
    return run(model, train.name(), data, evalData);
  }

  private static Encoded encodeTexts(Dataset<TextExample> data, Tokenizer tok, int context) {
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<TextExample> s = data.stream()) {
      s.forEach(e -> pairs.add(new int[][] {new int[0], tok.encode(e.text())}));
    }
    return encode(data.name(), pairs, tok, context, DataFingerprint.ofTexts(data));
  }

  private static Encoded encodeCompletions(Dataset<SftExample> data, Tokenizer tok, int context) {
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<SftExample> s = data.stream()) {
      s.forEach(e -> pairs.add(new int[][] {tok.encode(e.prompt()), tok.encode(e.completion())}));
    }
    return encode(data.name(), pairs, tok, context, SftExample.fingerprint(data));
  }

  private static Encoded encode(String name, List<int[][]> pairs, Tokenizer tok, int context, String sha256) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + " is empty");
    }
    List<TokenSequence> out = new ArrayList<>(pairs.size());
    int truncated = 0;
    int skipped = 0;
    for (int[][] pair : pairs) {
      int[] prompt = pair[0];
      int[] completion = pair[1];
      int[] tokens = new int[prompt.length + completion.length + 2];
      tokens[0] = tok.bosId();
      System.arraycopy(prompt, 0, tokens, 1, prompt.length);
      System.arraycopy(completion, 0, tokens, 1 + prompt.length, completion.length);
      tokens[tokens.length - 1] = tok.eosId();
      int lossStart = 1 + prompt.length;
      if (tokens.length > context) {
        tokens = Arrays.copyOf(tokens, context);
        truncated++;
      }
      if (lossStart >= tokens.length) {
        skipped++;
        continue;
      }
      out.add(new TokenSequence(tokens, lossStart));
    }
    if (truncated > 0) {
      LOG.warn("{}: {} of {} sequences were longer than the context of {} tokens and were truncated",
          name, truncated, pairs.size(), context);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + " has no example with a token to learn from");
    }
    return new Encoded(out, truncated, skipped, sha256);
  }

  private TrainingResult run(TransformerLm model, String dataName, Encoded data, Encoded eval) {
    return config.privacy().enabled() ? runPrivate(model, dataName, data, eval) : runPlain(model, dataName, data, eval);
  }

  private TrainingResult runPlain(TransformerLm model, String dataName, Encoded data, Encoded eval) {
    TransformerWeights weights = model.weights();
    TransformerBackprop backprop = new TransformerBackprop(weights);
    List<TokenSequence> sequences = data.sequences();
    TrainingLoop.Objective<Batch> objective = new TrainingLoop.Objective<>() {
      @Override
      public Batch batch(int[] indices) {
        return Batch.of(BatchSampler.select(sequences, indices), true);
      }

      @Override
      public TrainingLoop.Gradients gradients(Batch b) {
        TransformerBackprop.Step s = backprop.gradients(b.tokens(), true, pass -> {
          TokenCrossEntropy.Result ce = TokenCrossEntropy.of(pass.logits(), b.targets(), b.weights());
          return new TransformerBackprop.LossGradient(ce.loss(), null, ce.dLogits());
        });
        return new TrainingLoop.Gradients(s.loss(), s.gradients(), b.lossTokens(), b.inputTokens());
      }
    };
    TrainingLoop.Evaluator evaluator = eval == null ? null
        : step -> meanLoss(backprop, eval.sequences(), config.batchSize());
    TrainingLoop.Result r = new TrainingLoop(config.loopSettings(), listeners)
        .run(sequences.size(), weights.asMap(), objective, evaluator);
    TransformerLm trained = model.withProvenance(model.provenance()
        .withStage(TrainingStage.of("sft", dataName, data.sha256(), config, r.steps(), config.seed())));
    return new TrainingResult(trained, r.steps(), r.finalLoss(), r.bestEvalLoss(), r.stoppedEarly(),
        data.truncated(), data.skipped(), r.tokensPerSecond(), r.history(), r.evaluations(), Optional.empty());
  }

  /** DP-SGD on the examples' own mean token losses; evaluation once at the end. */
  private TrainingResult runPrivate(TransformerLm model, String dataName, Encoded data, Encoded eval) {
    List<TokenSequence> sequences = data.sequences();
    DpSgdConfig dp = DpSgdConfig.of(config.privacy(), config.batchSize(), config.optimizer(), config.maxSteps(),
        config.epochs(), config.seed());
    int seqLen = sequences.stream().mapToInt(TokenSequence::inputLength).max().orElseThrow();
    DpTrainingResult r = DpRun.train(dp, listeners, model, Map.of(), new SequenceNllLoss(), sequences, seqLen,
        new DpRun.TokenCounts<>(TokenSequence::inputLength, TokenSequence::lossTokens),
        new DpRun.Stage("sft", PrivacyUnit.EXAMPLE, dataName, data.sha256(), TrainingStage.settingsOf(config)));
    List<EvalMetrics> evaluations = eval == null ? List.of() : List.of(new EvalMetrics(r.steps(),
        meanLoss(new TransformerBackprop(model.weights()), eval.sequences(), config.batchSize()), true));
    double bestEval = evaluations.isEmpty() ? Double.NaN : evaluations.get(0).loss();
    return new TrainingResult(r.model(), r.steps(), r.finalLoss(), bestEval, false, data.truncated(), data.skipped(),
        r.tokensPerSecond(), r.history(), evaluations, Optional.of(r));
  }

  /** Mean loss per loss token over {@code data}, without dropout. */
  private static double meanLoss(TransformerBackprop backprop, List<TokenSequence> data, int batchSize) {
    double total = 0;
    long tokens = 0;
    for (int i = 0; i < data.size(); i += batchSize) {
      Batch b = Batch.of(data.subList(i, Math.min(data.size(), i + batchSize)), false);
      total += backprop.evaluate(b.tokens(),
          pass -> TokenCrossEntropy.of(pass.logits(), b.targets(), b.weights()).loss());
      tokens += b.lossTokens();
    }
    return total / Math.max(1, tokens);
  }

  /**
   * One batch, right-padded to its longest input: input tokens [B][T], and per position (row-major) the target
   * token and the loss weight (0 outside the learned part).
   */
  private record Batch(int[][] tokens, int[] targets, float[] weights, long lossTokens, long inputTokens) {

    /** The batch of {@code sequences}; the weights are divided by the loss-token count when {@code mean}. */
    static Batch of(List<TokenSequence> sequences, boolean mean) {
      int b = sequences.size();
      int seqLen = sequences.stream().mapToInt(s -> s.tokens().length - 1).max().orElseThrow();
      int[][] tokens = new int[b][seqLen];
      int[] targets = new int[b * seqLen];
      float[] weights = new float[b * seqLen];
      long lossTokens = 0;
      long inputTokens = 0;
      for (int i = 0; i < b; i++) {
        TokenSequence s = sequences.get(i);
        int len = s.tokens().length - 1;
        for (int t = 0; t < len; t++) {
          tokens[i][t] = s.tokens()[t];
          targets[i * seqLen + t] = s.tokens()[t + 1];
          if (t + 1 >= s.lossStart()) {
            weights[i * seqLen + t] = 1;
            lossTokens++;
          }
        }
        inputTokens += len;
      }
      if (mean) {
        float scale = 1f / Math.max(1, lossTokens);
        for (int j = 0; j < weights.length; j++) {
          weights[j] *= scale;
        }
      }
      return new Batch(tokens, targets, weights, lossTokens, inputTokens);
    }
  }
}
