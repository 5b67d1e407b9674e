package org.align4j.rewardmodel.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortedGroupsTest {

  private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
      -Double.MAX_VALUE, Double.MIN_NORMAL, 1.0, -1.0, Math.nextUp(1.0), Math.nextDown(1.0), 1e300, -1e-300};

  @Test
  void radixOrderSortsAnyFiniteValuesStably() {
    Random random = new Random(5);
    for (int t = 0; t < 200; t++) {
      int n = 1 + random.nextInt(t < 100 ? 30 : 3000);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        int kind = random.nextInt(4);
        x[i] = kind == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
            : kind == 1 ? random.nextInt(7) - 3
            : kind == 2 ? random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20)
            : 1 + random.nextInt(1000) * Math.ulp(1.0);
      }
      int[] order = SortedGroups.radixOrder(x);
      Integer[] expected = new Integer[n];
      for (int i = 0; i < n; i++) {
        expected[i] = i;
      }
      // numeric order with -0.0 equal to 0.0, ties by index
      Arrays.sort(expected, (a, b) -> Double.compare(x[a] + 0.0, x[b] + 0.0) != 0
          ? Double.compare(x[a] + 0.0, x[b] + 0.0) : Integer.compare(a, b));
      int[] want = Arrays.stream(expected).mapToInt(i -> i).toArray();
      assertThat(order).as("trial %d", t).containsExactly(want);
      assertThat(SortedGroups.of(x).order()).as("trial %d", t).containsExactly(want);
    }
  }

  @Test
  void bucketOrderSortsSpreadValuesAndGivesUpOnUnevenOnes() {
    Random random = new Random(11);
    for (int t = 0; t < 50; t++) {
      int n = 2 + random.nextInt(5000);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        // uniform, Gaussian, or rounded (ties) values: spread enough for the buckets
        x[i] = t % 3 == 0 ? random.nextDouble() : t % 3 == 1 ? random.nextGaussian() : random.nextInt(n / 2 + 1);
      }
      double[] sorted = new double[n];
      int[] order = SortedGroups.bucketOrder(x, sorted);
      assertThat(order).as("trial %d", t).isNotNull().containsExactly(SortedGroups.radixOrder(x));
      for (int p = 0; p < n; p++) {
        assertThat(sorted[p]).isEqualTo(x[order[p]] + 0.0);
      }
    }
    double[] heavy = new double[2000];
    for (int i = 0; i < heavy.length; i++) {
      // one huge value: every other value falls into the first bucket
      heavy[i] = i == 0 ? 1e12 : (i * 7919) % 1000;
    }
    assertThat(SortedGroups.bucketOrder(heavy, new double[heavy.length])).isNull();
    assertThat(SortedGroups.bucketOrder(new double[] {2, 2, 2}, new double[3])).isNull();
    assertThat(SortedGroups.of(heavy).order()).containsExactly(SortedGroups.radixOrder(heavy));
  }

  @Test
  void groupsDistinctValuesWithCountsAndMembership() {
    double[] x = {3, -0.0, 2, 3, 0.0, -7.5, 2, 3};
    SortedGroups groups = SortedGroups.of(x);
    assertThat(groups.values()).containsExactly(-7.5, 0.0, 2, 3);
    assertThat(groups.counts()).containsExactly(1, 2, 2, 3);
    assertThat(groups.groupOf()).containsExactly(3, 1, 2, 3, 1, 0, 2, 3);
    assertThat(groups.sortedX()).containsExactly(-7.5, 0.0, 0.0, 2, 2, 3, 3, 3);
  }
}
