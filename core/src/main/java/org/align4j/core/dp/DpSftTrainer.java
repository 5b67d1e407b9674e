package org.align4j.core.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.TextExample;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.Tokenizer;
import org.align4j.core.train.SftExample;
import org.align4j.core.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differentially private supervised fine-tuning of a {@link TransformerLm}: next-token training by DP-SGD
 * ({@link DpSgd} with {@link SequenceNllLoss}) on Poisson-sampled batches, each step recorded with a privacy
 * accountant, whose (epsilon, delta) the result reports. Example-level privacy: each example is one sequence
 * {@code BOS + text + EOS} (truncated to the context, as in {@code SftTrainer}).
 *
 * <pre>{@code
 * DpSftConfig config = DpSftConfig.builder().targetEpsilon(8).expectedBatchSize(64).epochs(3).build();
 * DpTrainingResult r = new DpSftTrainer(config).train(model, dataset);
 * System.out.println(r.epsilon() + " at delta " + r.delta());
 * r.accountant().save(Path.of("sft-privacy.json"));
 * }</pre>
 *
 * <p>The model's weights are updated in place; the run is reproducible from the seed. Other trainers reuse the
 * same engine with their own {@link PerExampleLoss}.
 */
public final class DpSftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(DpSftTrainer.class);

  private final DpSftConfig config;
  private final List<TrainingListener> listeners;

  /** A trainer with {@code config} reporting to {@code listeners}. */
  public DpSftTrainer(DpSftConfig config, TrainingListener... listeners) {
    this.config = config;
    this.listeners = List.of(listeners);
  }

  /** Trains on whole texts. */
  public DpTrainingResult train(TransformerLm model, Dataset<TextExample> train) {
    Tokenizer tok = model.tokenizer();
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<TextExample> s = train.stream()) {
      s.forEach(e -> pairs.add(new int[][] {new int[0], tok.encode(e.text())}));
    }
    return run(model, train.name(), DataFingerprint.ofTexts(train), encode(train.name(), pairs, tok, model));
  }

  /** Trains on prompt/completion pairs, the loss covering completions only. */
  public DpTrainingResult trainOnCompletions(TransformerLm model, Dataset<SftExample> train) {
    Tokenizer tok = model.tokenizer();
    List<int[][]> pairs = new ArrayList<>();
    try (Stream<SftExample> s = train.stream()) {
      s.forEach(e -> pairs.add(new int[][] {tok.encode(e.prompt()), tok.encode(e.completion())}));
    }
    return run(model, train.name(), SftExample.fingerprint(train), encode(train.name(), pairs, tok, model));
  }

  private static List<TokenSequence> encode(String name, List<int[][]> pairs, Tokenizer tok, TransformerLm model) {
    int context = model.contextLength();
    List<TokenSequence> out = new ArrayList<>(pairs.size());
    int truncated = 0;
    for (int[][] pair : pairs) {
      int[] tokens = new int[pair[0].length + pair[1].length + 2];
      tokens[0] = tok.bosId();
      System.arraycopy(pair[0], 0, tokens, 1, pair[0].length);
      System.arraycopy(pair[1], 0, tokens, 1 + pair[0].length, pair[1].length);
      tokens[tokens.length - 1] = tok.eosId();
      if (tokens.length > context) {
        tokens = Arrays.copyOf(tokens, context);
        truncated++;
      }
      int lossStart = 1 + pair[0].length;
      if (lossStart < tokens.length) {
        out.add(new TokenSequence(tokens, lossStart));
      }
    }
    if (truncated > 0) {
      LOG.warn("{}: {} of {} sequences were truncated to the context of {} tokens", name, truncated, pairs.size(),
          context);
    }
    if (out.size() < pairs.size()) {
      // dropping examples depends only on each example itself, so the remaining data set is still the unit
      LOG.warn("{}: {} examples have no token to learn from and are left out", name, pairs.size() - out.size());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + " has no example with a token to learn from");
    }
    return out;
  }

  private DpTrainingResult run(TransformerLm model, String dataName, String sha256, List<TokenSequence> data) {
    int seqLen = data.stream().mapToInt(s -> s.tokens().length - 1).max().orElseThrow();
    return DpRun.train(config, listeners, model, Map.of(), new SequenceNllLoss(), data, seqLen,
        new DpRun.TokenCounts<>(s -> s.tokens().length - 1, TokenSequence::lossTokens),
        new DpRun.Stage("sft", PrivacyUnit.EXAMPLE, dataName, sha256, TrainingStage.settingsOf(config)));
  }
}
