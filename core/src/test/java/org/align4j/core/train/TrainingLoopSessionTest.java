package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link TrainingLoop.Session}: training over several runs with one optimiser state and step count, batches from
 * the caller's sampler, and the objective's hooks for clipping, divergence and ending a run. The objective is the
 * quadratic {@code sum_j (x_j - t_i,j)^2 / 2} averaged over a batch of targets {@code t_i = (i, -i)}.
 */
class TrainingLoopSessionTest {

  /** The quadratic objective over targets (i, -i); an empty batch reports a NaN loss. */
  private static class Quadratic extends QuadraticObjective {
    Quadratic() {
      super(2, i -> new double[] {i, -i});
    }

    @Override
    double reportedLoss(double loss, int[] batch) {
      return batch.length == 0 ? Double.NaN : loss;
    }
  }

  /** Batches 0..n-1 in turn, one example each. */
  private static BatchSampler inTurn(int n) {
    return new BatchSampler() {
      private int next;

      @Override
      public int[] next() {
        return new int[] {next++ % n};
      }

      @Override
      public int size() {
        return n;
      }

      @Override
      public double sampleRate() {
        return 1.0 / n;
      }
    };
  }

  private static LoopSettings settings(double clipNorm) {
    return LoopSettings.builder().optimizer(OptimizerSettings.builder().learningRate(0.1).minLearningRateRatio(1)
        .weightDecay(0).clipNorm(clipNorm).build()).seed(1).build();
  }

  @Test
  void runsOfASessionContinueOneOptimiserAndOneStepCount() {
    List<String> events = new ArrayList<>();
    TrainingListener recorder = new TrainingListener() {
      @Override
      public void onStart(long totalSteps) {
        events.add("start " + totalSteps);
      }

      @Override
      public void onStep(StepMetrics m) {
        events.add("step " + m.step() + "/" + m.totalSteps());
      }

      @Override
      public void onEnd() {
        events.add("end");
      }
    };
    Quadratic split = new Quadratic();
    TrainingLoop.Session session = new TrainingLoop(settings(Double.POSITIVE_INFINITY), List.of(recorder))
        .start(split.parameters(), name -> true, 4);
    BatchSampler sampler = inTurn(5);
    TrainingLoop.Result first = session.run(sampler, 3, split);
    TrainingLoop.Result second = session.run(sampler, 3, split);
    session.end();
    session.end();
    assertThat(first.steps()).isEqualTo(3);
    assertThat(second.steps()).isEqualTo(3);
    assertThat(second.history()).extracting(StepMetrics::step).containsExactly(4L, 5L, 6L);
    assertThat(session.steps()).isEqualTo(6);
    assertThat(events).containsExactly("start 4", "step 1/4", "step 2/4", "step 3/4", "step 4/4", "step 5/5",
        "step 6/6", "end");
    assertThat(split.batches).extracting(b -> b[0]).containsExactly(0, 1, 2, 3, 4, 0);

    // one run of six steps over the same batches: the same AdamW state, so bit-identical parameters
    Quadratic whole = new Quadratic();
    TrainingLoop.Session one =
        new TrainingLoop(settings(Double.POSITIVE_INFINITY), List.of()).start(whole.parameters(), n -> true, 4);
    one.run(inTurn(5), 6, whole);
    assertThat(split.x.toDoubleVector()).containsExactly(whole.x.toDoubleVector());
    // a fresh optimiser for the second run (restarted bias correction) would move x elsewhere
    Quadratic restarted = new Quadratic();
    BatchSampler again = inTurn(5);
    for (int run = 0; run < 2; run++) {
      new TrainingLoop(settings(Double.POSITIVE_INFINITY), List.of()).start(restarted.parameters(), n -> true, 4)
          .run(again, 3, restarted);
    }
    assertThat(restarted.x.toDoubleVector()).isNotEqualTo(whole.x.toDoubleVector());

    assertThatThrownBy(() -> session.run(inTurn(5), 1, split)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ended");
  }

  @Test
  void theObjectiveCanEndARunAfterAStep() {
    Quadratic q = new Quadratic() {
      @Override
      public boolean finished() {
        return batches.size() == 2;
      }
    };
    TrainingLoop.Result r = new TrainingLoop(settings(1), List.of()).start(q.parameters(), n -> true, 10)
        .run(inTurn(5), 10, q);
    assertThat(r.steps()).isEqualTo(2);
    assertThat(r.stoppedEarly()).isTrue();
    assertThat(r.history()).hasSize(2);
  }

  @Test
  void anObjectiveThatClipsItsOwnGradientsKeepsThemAndReportsItsNorm() {
    List<Double> applied = new ArrayList<>();
    Quadratic own = new Quadratic() {
      @Override
      public double clip(TrainingLoop.Gradients g, double clipNorm) {
        return 42;
      }

      @Override
      public void afterStep(int[] batch, TrainingLoop.Gradients last, StepMetrics m) {
        applied.add(GradientClipping.globalNorm(last.byParameter()));
      }
    };
    own.x.assign(100); // a gradient norm far above the clip norm of 0.5
    TrainingLoop.Result r = new TrainingLoop(settings(0.5), List.of()).start(own.parameters(), n -> true, 1)
        .run(inTurn(1), 1, own);
    assertThat(r.history().get(0).gradientNorm()).isEqualTo(42);
    assertThat(applied.get(0)).isGreaterThan(100);

    List<Double> clipped = new ArrayList<>();
    Quadratic plain = new Quadratic() {
      @Override
      public void afterStep(int[] batch, TrainingLoop.Gradients last, StepMetrics m) {
        clipped.add(GradientClipping.globalNorm(last.byParameter()));
      }
    };
    plain.x.assign(100);
    TrainingLoop.Result p = new TrainingLoop(settings(0.5), List.of()).start(plain.parameters(), n -> true, 1)
        .run(inTurn(1), 1, plain);
    assertThat(p.history().get(0).gradientNorm()).isGreaterThan(100);
    assertThat(clipped.get(0)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void theObjectiveDecidesWhatCountsAsDivergence() {
    Quadratic tolerant = new Quadratic() {
      @Override
      public boolean diverged(TrainingLoop.Gradients g, double norm) {
        return g.tokens() > 0 && super.diverged(g, norm);
      }
    };
    TrainingLoop.Result r = new TrainingLoop(settings(1), List.of()).start(tolerant.parameters(), n -> true, 2)
        .run(emptyThenOne(), 2, tolerant);
    assertThat(r.steps()).isEqualTo(2);
    assertThat(r.history().get(0).loss()).isNaN();
    assertThat(r.finalLoss()).isFinite();
    Quadratic strict = new Quadratic();
    assertThatThrownBy(() -> new TrainingLoop(settings(1), List.of()).start(strict.parameters(), n -> true, 2)
        .run(emptyThenOne(), 2, strict))
        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> assertThat(e.step()).isEqualTo(1));
  }

  /** An empty batch, then example 1 for ever. */
  private static BatchSampler emptyThenOne() {
    return new BatchSampler() {
      private int next;

      @Override
      public int[] next() {
        return next++ == 0 ? new int[0] : new int[] {1};
      }

      @Override
      public int size() {
        return 2;
      }

      @Override
      public double sampleRate() {
        return 0.5;
      }
    };
  }

  @Test
  void weightDecayAppliesToTheParametersTheSessionSays() {
    INDArray a = Nd4j.ones(DataType.DOUBLE, 2);
    INDArray b = Nd4j.ones(DataType.DOUBLE, 2);
    Map<String, INDArray> parameters = new LinkedHashMap<>();
    parameters.put("a", a);
    parameters.put("b", b);
    TrainingLoop.Objective<int[]> flat = new TrainingLoop.Objective<>() {
      @Override
      public int[] batch(int[] indices) {
        return indices;
      }

      @Override
      public TrainingLoop.Gradients gradients(int[] batch) {
        Map<String, INDArray> zero = new LinkedHashMap<>();
        zero.put("a", Nd4j.zeros(DataType.DOUBLE, 2));
        zero.put("b", Nd4j.zeros(DataType.DOUBLE, 2));
        return new TrainingLoop.Gradients(0, zero, 1, 1);
      }
    };
    LoopSettings s = LoopSettings.builder().optimizer(OptimizerSettings.builder().learningRate(0.1)
        .minLearningRateRatio(1).weightDecay(0.5).build()).build();
    new TrainingLoop(s, List.of()).start(parameters, "a"::equals, 3).run(inTurn(1), 3, flat);
    assertThat(a.toDoubleVector()).containsOnly(Math.pow(1 - 0.1 * 0.5, 3));
    assertThat(b.toDoubleVector()).containsOnly(1.0);
  }
}
