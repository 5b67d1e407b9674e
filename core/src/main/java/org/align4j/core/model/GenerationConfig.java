package org.align4j.core.model;

import org.align4j.core.util.Args;

/**
 * How {@link LanguageModel#generate} decodes.
 *
 * @param maxNewTokens the most tokens to generate per prompt (> 0)
 * @param temperature 0 for greedy decoding, otherwise the softmax temperature (> 0)
 * @param topK keep only the k most likely tokens before sampling (0 = no limit)
 * @param topP keep the smallest set of tokens whose probability reaches p (1 = no limit), in (0, 1]
 * @param stopAtEos stop a sequence after it produces EOS
 * @param seed seed of the sampler; unused by greedy decoding
 */
public record GenerationConfig(
    int maxNewTokens, double temperature, int topK, double topP, boolean stopAtEos, long seed) {

  /** Validates the settings. */
  public GenerationConfig {
    Args.positive("maxNewTokens", maxNewTokens);
    Args.nonNegative("temperature", temperature);
    Args.finite("temperature", temperature);
    Args.nonNegative("topK", topK);
    Args.inOpenClosed("topP", topP, 0, 1);
  }

  /** Greedy decoding of at most {@code maxNewTokens} tokens, stopping at EOS. */
  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(maxNewTokens, 0, 0, 1, true, 0);
  }

  /** Sampling at {@code temperature} with no top-k or top-p limit, stopping at EOS. */
  public static GenerationConfig sampling(int maxNewTokens, double temperature, long seed) {
    Args.positive("temperature", temperature);
    return new GenerationConfig(maxNewTokens, temperature, 0, 1, true, seed);
  }

  /** Whether this configuration decodes greedily. */
  public boolean isGreedy() {
    return temperature == 0;
  }

  /** A copy with another top-k limit. */
  public GenerationConfig withTopK(int k) {
    return new GenerationConfig(maxNewTokens, temperature, k, topP, stopAtEos, seed);
  }

  /** A copy with another top-p limit. */
  public GenerationConfig withTopP(double p) {
    return new GenerationConfig(maxNewTokens, temperature, topK, p, stopAtEos, seed);
  }

  /** A copy that does or does not stop at EOS. */
  public GenerationConfig withStopAtEos(boolean stop) {
    return new GenerationConfig(maxNewTokens, temperature, topK, topP, stop, seed);
  }

  /** A copy with another seed. */
  public GenerationConfig withSeed(long newSeed) {
    return new GenerationConfig(maxNewTokens, temperature, topK, topP, stopAtEos, newSeed);
  }
}
