package org.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainingLoop} on a quadratic: each example is a target point t_i and the batch loss is the mean of
 * {@code ||x - t_i||^2 / 2}, whose gradient is {@code x - mean(t)} and whose minimum is the mean of all targets.
 */
class TrainingLoopTest {

  private static final int DIM = 3;

  /** The quadratic objective over random targets, recording events and turning one call's loss to NaN. */
  private static final class Quadratic extends QuadraticObjective {
    final double[][] targets;
    final List<String> events;
    long nanAtCall = -1;

    Quadratic(int n, long seed, List<String> events) {
      this(randomTargets(n, seed), events);
    }

    private Quadratic(double[][] targets, List<String> events) {
      super(DIM, i -> targets[i]);
      this.targets = targets;
      this.events = events;
    }

    private static double[][] randomTargets(int n, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      double[][] targets = new double[n][DIM];
      for (double[] t : targets) {
        for (int j = 0; j < DIM; j++) {
          t[j] = r.nextDouble(-1, 1);
        }
      }
      return targets;
    }

    @Override
    double reportedLoss(double loss, int[] batch) {
      return gradientCalls == nanAtCall ? Double.NaN : loss;
    }

    @Override
    public void afterStep(int[] batch, TrainingLoop.Gradients last, StepMetrics m) {
      events.add("afterStep " + m.step());
    }
  }

  /** Records listener events into a shared list. */
  private record Recorder(String name, List<String> events) implements TrainingListener {
    @Override
    public void onStart(long totalSteps) {
      events.add(name + " start " + totalSteps);
    }

    @Override
    public void onStep(StepMetrics m) {
      events.add(name + " step " + m.step());
    }

    @Override
    public void onEvaluation(EvalMetrics m) {
      events.add(name + " eval " + m.step());
    }

    @Override
    public void onEnd() {
      events.add(name + " end");
    }
  }

  private static LoopSettings.Builder settings() {
    return LoopSettings.builder().sampling(Sampling.shuffled(4))
        .optimizer(OptimizerSettings.builder().learningRate(0.1).warmupSteps(2).minLearningRateRatio(0.1)
            .weightDecay(0).clipNorm(Double.POSITIVE_INFINITY).build())
        .seed(3);
  }

  @Test
  void minimisesTheQuadraticWithTheScheduledLearningRateAtEveryStep() {
    Quadratic q = new Quadratic(10, 1, new ArrayList<>());
    LoopSettings s = settings().epochs(30).build();
    TrainingLoop.Result r = new TrainingLoop(s, List.of()).run(10, q.parameters(), q, null);
    assertThat(r.steps()).isEqualTo(90); // 3 batches (4, 4, 2) per epoch
    LearningRateSchedule schedule = s.optimizer().schedule(90);
    for (StepMetrics m : r.history()) {
      assertThat(m.learningRate()).isEqualTo(schedule.at(m.step() - 1));
      assertThat(m.totalSteps()).isEqualTo(90);
    }
    assertThat(r.history().get(0).learningRate()).isEqualTo(0.05);
    double[] mean = new double[DIM];
    for (double[] t : q.targets) {
      for (int j = 0; j < DIM; j++) {
        mean[j] += t[j] / q.targets.length;
      }
    }
    assertThat(q.x.toDoubleVector()).containsExactly(mean, within(0.05));
  }

  @Test
  void takesKUpdatesOnEachBatchAndReportsOneStepPerBatch() {
    Quadratic q = new Quadratic(8, 2, new ArrayList<>());
    TrainingLoop.Result r = new TrainingLoop(settings().maxSteps(5).updatesPerBatch(3).build(), List.of())
        .run(8, q.parameters(), q, null);
    assertThat(r.steps()).isEqualTo(5);
    assertThat(r.history()).hasSize(5);
    assertThat(q.batches).hasSize(5);
    assertThat(q.gradientCalls).isEqualTo(15);
    // One update per batch moves x less than three on the same batches.
    Quadratic once = new Quadratic(8, 2, new ArrayList<>());
    new TrainingLoop(settings().maxSteps(5).build(), List.of()).run(8, once.parameters(), once, null);
    assertThat(q.x.norm2Number().doubleValue()).isGreaterThan(once.x.norm2Number().doubleValue());
  }

  @Test
  void shuffledBatchesCoverEveryExampleOncePerEpoch() {
    Quadratic q = new Quadratic(10, 3, new ArrayList<>());
    new TrainingLoop(settings().epochs(2).build(), List.of()).run(10, q.parameters(), q, null);
    assertThat(q.batches).extracting(b -> b.length).containsExactly(4, 4, 2, 4, 4, 2);
    for (int epoch = 0; epoch < 2; epoch++) {
      int[] seen = new int[10];
      for (int b = 0; b < 3; b++) {
        for (int i : q.batches.get(3 * epoch + b)) {
          seen[i]++;
        }
      }
      assertThat(seen).containsOnly(1);
    }
  }

  @Test
  void poissonSamplingDrawsAscendingBatchesOfVaryingSizeForEpochsOverQSteps() {
    Quadratic q = new Quadratic(40, 4, new ArrayList<>());
    TrainingLoop loop = new TrainingLoop(settings().sampling(Sampling.poisson(0.25)).epochs(3).build(), List.of());
    assertThat(loop.totalSteps(40)).isEqualTo(12);
    TrainingLoop.Result r = loop.run(40, q.parameters(), q, null);
    assertThat(r.steps()).isEqualTo(12);
    assertThat(q.batches.stream().mapToInt(b -> b.length).distinct().count()).isGreaterThan(1);
    for (int[] b : q.batches) {
      assertThat(b).isSorted().doesNotHaveDuplicates();
    }
    int total = q.batches.stream().mapToInt(b -> b.length).sum();
    assertThat(total).isBetween(60, 180); // 3 expected passes over 40 examples
  }

  @Test
  void sameSeedGivesBitIdenticalRunsAndAnotherSeedDiffers() {
    List<Double> first = run(7);
    assertThat(run(7)).isEqualTo(first);
    assertThat(run(8)).isNotEqualTo(first);
  }

  private static List<Double> run(long seed) {
    Quadratic q = new Quadratic(9, 5, new ArrayList<>());
    TrainingLoop.Result r = new TrainingLoop(settings().epochs(3).seed(seed).build(), List.of())
        .run(9, q.parameters(), q, null);
    List<Double> out = new ArrayList<>();
    r.history().forEach(m -> {
      out.add(m.loss());
      out.add(m.gradientNorm());
      out.add(m.learningRate());
    });
    for (double v : q.x.toDoubleVector()) {
      out.add(v);
    }
    return out;
  }

  @Test
  void listenersObjectiveAndEvaluatorHearEventsInOrder() {
    List<String> events = new ArrayList<>();
    Quadratic q = new Quadratic(4, 6, events);
    TrainingLoop.Evaluator evaluator = new TrainingLoop.Evaluator() {
      @Override
      public double loss(long step) {
        events.add("loss " + step);
        return 1.0 / (step + 1);
      }

      @Override
      public void afterEvaluation(EvalMetrics m) {
        events.add("afterEval " + m.step() + " " + m.best());
      }
    };
    new TrainingLoop(settings().maxSteps(3).evalEvery(2).evaluateAtStart(true).build(),
        List.of(new Recorder("a", events), new Recorder("b", events))).run(4, q.parameters(), q, evaluator);
    assertThat(events).containsExactly(
        "a start 3", "b start 3", "loss 0", "a eval 0", "b eval 0", "afterEval 0 true",
        "a step 1", "b step 1", "afterStep 1",
        "a step 2", "b step 2", "afterStep 2", "loss 2", "a eval 2", "b eval 2", "afterEval 2 true",
        "a step 3", "b step 3", "afterStep 3", "loss 3", "a eval 3", "b eval 3", "afterEval 3 true",
        "a end", "b end");
  }

  @Test
  void earlyStoppingRestoresTheParametersOfTheBestEvaluation() {
    Quadratic q = new Quadratic(8, 7, new ArrayList<>());
    double[] losses = {3, 2, 2.5, 2.6, 1};
    List<double[]> atEvaluation = new ArrayList<>();
    TrainingLoop.Evaluator evaluator = step -> {
      atEvaluation.add(q.x.toDoubleVector());
      return losses[atEvaluation.size() - 1];
    };
    TrainingLoop.Result r = new TrainingLoop(settings().maxSteps(20).evalEvery(2).patience(2).build(), List.of())
        .run(8, q.parameters(), q, evaluator);
    assertThat(r.stoppedEarly()).isTrue();
    assertThat(r.steps()).isEqualTo(8);
    assertThat(r.bestEvalLoss()).isEqualTo(2.0);
    assertThat(r.evaluations()).extracting(EvalMetrics::best).containsExactly(true, true, false, false);
    assertThat(q.x.toDoubleVector()).containsExactly(atEvaluation.get(1));
  }

  @Test
  void minImprovementDecidesWhatCountsAsBetter() {
    Quadratic q = new Quadratic(8, 7, new ArrayList<>());
    double[] losses = {1.0, 0.9999, 0.5};
    int[] calls = {0};
    TrainingLoop.Result r = new TrainingLoop(settings().maxSteps(3).evalEvery(1).minImprovement(1e-3).build(),
        List.of()).run(8, q.parameters(), q, step -> losses[calls[0]++]);
    assertThat(r.evaluations()).extracting(EvalMetrics::best).containsExactly(true, false, true);
  }

  @Test
  void cancellationStopsBeforeTheNextStepAndEndsTheListeners() {
    List<String> events = new ArrayList<>();
    Quadratic q = new Quadratic(8, 8, events);
    TrainingLoop.Result r = new TrainingLoop(settings().maxSteps(10).build(),
        List.of(new Recorder("a", events)), () -> q.batches.size() >= 3).run(8, q.parameters(), q, null);
    assertThat(r.cancelled()).isTrue();
    assertThat(r.steps()).isEqualTo(3);
    assertThat(r.history()).hasSize(3);
    assertThat(events).endsWith("afterStep 3", "a end");
  }

  @Test
  void aNonFiniteLossStopsBeforeItsUpdate() {
    List<String> events = new ArrayList<>();
    Quadratic q = new Quadratic(8, 9, events);
    q.nanAtCall = 3;
    List<double[]> before = new ArrayList<>();
    TrainingListener snapshot = new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        before.add(q.x.toDoubleVector());
      }
    };
    assertThatThrownBy(() -> new TrainingLoop(settings().maxSteps(10).build(),
        List.of(snapshot, new Recorder("a", events))).run(8, q.parameters(), q, null))
        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> assertThat(e.step()).isEqualTo(3));
    assertThat(before).hasSize(2);
    assertThat(q.x.toDoubleVector()).containsExactly(before.get(1));
    assertThat(events).endsWith("a end");
  }

  @Test
  void clipsTheGlobalNormAndReportsItBeforeClipping() {
    Quadratic q = new Quadratic(4, 10, new ArrayList<>());
    q.x.assign(100);
    OptimizerSettings opt = OptimizerSettings.builder().learningRate(0.1).clipNorm(0.5).weightDecay(0).build();
    TrainingLoop.Result r = new TrainingLoop(settings().optimizer(opt).maxSteps(1).build(), List.of())
        .run(4, q.parameters(), q, null);
    assertThat(r.history().get(0).gradientNorm()).isGreaterThan(100);
  }

  @Test
  void settingsValidateNameTheParameterAndRoundTripThroughTheBuilder() {
    LoopSettings s = settings().epochs(2.5).maxSteps(7).updatesPerBatch(2).evalEvery(3).patience(1)
        .minImprovement(1e-4).evaluateAtStart(true).build();
    assertThat(s.toBuilder().build()).isEqualTo(s);
    assertThat(s.optimizer().toBuilder().build()).isEqualTo(s.optimizer());
    assertThatThrownBy(() -> settings().updatesPerBatch(0).build()).hasMessageContaining("updatesPerBatch")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> settings().epochs(-1).build()).hasMessageContaining("epochs");
    assertThatThrownBy(() -> Sampling.poisson(1.5)).hasMessageContaining("sampleRate").hasMessageContaining("1.5");
    assertThatThrownBy(() -> Sampling.shuffled(0)).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> OptimizerSettings.builder().learningRate(0).build())
        .hasMessageContaining("learningRate");
    assertThatThrownBy(() -> new TrainingLoop(s, List.of()).totalSteps(0)).hasMessageContaining("examples");
  }
}
