package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

  @Test
  void eachExampleJoinsWithProbabilityQ() {
    int n = 400;
    double q = 0.05;
    int draws = 4000;
    PoissonSampler sampler = new PoissonSampler(n, q, 7);
    long[] counts = new long[n];
    double sumSize = 0;
    double sumSq = 0;
    for (int d = 0; d < draws; d++) {
      int[] batch = sampler.next();
      for (int i = 0; i < batch.length; i++) {
        assertThat(batch[i]).isBetween(0, n - 1);
        if (i > 0) {
          assertThat(batch[i]).isGreaterThan(batch[i - 1]);
        }
        counts[batch[i]]++;
      }
      sumSize += batch.length;
      sumSq += (double) batch.length * batch.length;
    }
    double meanSize = sumSize / draws;
    double varSize = sumSq / draws - meanSize * meanSize;
    // batch size ~ Binomial(n, q): mean 20, variance 19; standard error of the mean about 0.07
    assertThat(meanSize).isBetween(n * q - 0.4, n * q + 0.4);
    assertThat(varSize).isBetween(0.85 * n * q * (1 - q), 1.15 * n * q * (1 - q));
    // each example's count ~ Binomial(4000, 0.05): mean 200, sd 13.8; allow 5 sd
    double sd = Math.sqrt(draws * q * (1 - q));
    for (long c : counts) {
      assertThat((double) c).isBetween(draws * q - 5 * sd, draws * q + 5 * sd);
    }
    // the first and last examples are as likely as the middle ones (no edge bias in the geometric skips)
    assertThat(counts[0] + counts[n - 1]).isBetween(2 * 200L - 60, 2 * 200L + 60);
  }

  @Test
  void emptyBatchesOccurAndAreEmptyArrays() {
    PoissonSampler sampler = new PoissonSampler(10, 0.05, 3);
    int empty = 0;
    for (int d = 0; d < 1000; d++) {
      if (sampler.next().length == 0) {
        empty++;
      }
    }
    // P(empty) = 0.95^10 = 0.599
    assertThat(empty).isBetween(540, 660);
  }

  @Test
  void rateOneTakesEveryExampleAndSeedsRepeat() {
    assertThat(new PoissonSampler(5, 1.0, 1).next()).containsExactly(0, 1, 2, 3, 4);
    PoissonSampler a = new PoissonSampler(1000, 0.01, 42);
    PoissonSampler b = new PoissonSampler(1000, 0.01, 42);
    PoissonSampler c = new PoissonSampler(1000, 0.01, 43);
    boolean differs = false;
    for (int i = 0; i < 50; i++) {
      int[] x = a.next();
      assertThat(b.next()).containsExactly(x);
      differs |= !Arrays.equals(x, c.next());
    }
    assertThat(differs).isTrue();
    assertThat(a.expectedBatchSize()).isEqualTo(10.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> new PoissonSampler(10, 0.0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampleRate").hasMessageContaining("0.0");
    assertThatThrownBy(() -> new PoissonSampler(10, 1.5, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampleRate").hasMessageContaining("1.5");
    assertThatThrownBy(() -> new PoissonSampler(10, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampleRate");
    assertThatThrownBy(() -> new PoissonSampler(0, 0.5, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n");
  }
}
