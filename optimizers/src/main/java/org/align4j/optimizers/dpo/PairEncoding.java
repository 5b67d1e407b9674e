package org.align4j.optimizers.dpo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.align4j.core.data.Dataset;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.data.PreferencePair;
import org.align4j.core.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokenization of preference pairs into {@link EncodedPair}s, with the truncation policy: a sequence longer than
 * the context loses the end of its response (EOS first); a prompt that leaves no room for a single response token
 * is an error.
 *
 * @param name the data set's name
 * @param pairs the tokenized pairs in data order
 * @param truncated pairs with at least one of the two sequences truncated
 * @param sha256 the pairs' {@link DataFingerprint}
 */
public record PairEncoding(String name, List<EncodedPair> pairs, int truncated, String sha256) {

  private static final Logger LOG = LoggerFactory.getLogger(PairEncoding.class);

  /**
   * Tokenizes {@code data} for a model of context {@code context}.
   *
   * @throws IllegalArgumentException when the data set is empty or a prompt alone does not fit in the context
   */
  public static PairEncoding of(Dataset<PreferencePair> data, Tokenizer tok, int context) {
    List<EncodedPair> out = new ArrayList<>();
    int[] truncated = {0};
    try (Stream<PreferencePair> s = data.stream()) {
      s.forEachOrdered(p -> {
        int[] prompt = tok.encode(p.prompt());
        if (prompt.length + 2 > context) {
          throw new IllegalArgumentException("pair " + p.id() + " of " + data.name() + ": the prompt has "
              + prompt.length + " tokens, which with BOS leaves no room for a response in the context of "
              + context + " tokens");
        }
        int[] chosen = sequence(tok, prompt, tok.encode(p.chosen()));
        int[] rejected = sequence(tok, prompt, tok.encode(p.rejected()));
        if (chosen.length > context || rejected.length > context) {
          truncated[0]++;
          chosen = Arrays.copyOf(chosen, Math.min(chosen.length, context));
          rejected = Arrays.copyOf(rejected, Math.min(rejected.length, context));
        }
        out.add(new EncodedPair(chosen, rejected, 1 + prompt.length));
      });
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("preference data set " + data.name() + " is empty");
    }
    if (truncated[0] > 0) {
      LOG.warn("{}: {} of {} pairs were longer than the context of {} tokens; their responses were truncated",
          data.name(), truncated[0], out.size(), context);
    }
    String sha256 = DataFingerprint.ofPairs(data);
    return new PairEncoding(data.name(), List.copyOf(out), truncated[0], sha256);
  }

  /** The longest model input (sequence length minus one) over both sides of every pair. */
  public int maxInputLength() {
    return pairs.stream().mapToInt(p -> Math.max(p.chosen().length, p.rejected().length) - 1).max().orElseThrow();
  }

  private static int[] sequence(Tokenizer tok, int[] prompt, int[] response) {
    int[] s = new int[prompt.length + response.length + 2];
    s[0] = tok.bosId();
    System.arraycopy(prompt, 0, s, 1, prompt.length);
    System.arraycopy(response, 0, s, 1 + prompt.length, response.length);
    s[s.length - 1] = tok.eosId();
    return s;
  }
}
