package org.align4j.optimizers.ppo;

import static org.align4j.core.dp.DpFixtures.maxAbs;
import static org.align4j.core.dp.DpFixtures.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.align4j.core.data.DataFingerprint;
import org.align4j.core.dp.ClipStats;
import org.align4j.core.dp.ClippingMode;
import org.align4j.core.dp.DpFixtures;
import org.align4j.core.dp.DpTrainingResult;
import org.align4j.core.dp.EpsilonPoint;
import org.align4j.core.dp.GradientPath;
import org.align4j.core.dp.PerExampleClipping;
import org.align4j.core.dp.PerExampleGradients;
import org.align4j.core.model.GenerationConfig;
import org.align4j.core.model.TinyModels;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.privacy.MechanismStep;
import org.align4j.core.privacy.PrivacySettings;
import org.align4j.core.privacy.RdpAccountant;
import org.align4j.core.provenance.PrivacySpent;
import org.align4j.core.provenance.PrivacyUnit;
import org.align4j.core.provenance.TrainingStage;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.align4j.core.train.OptimizerSettings;
import org.align4j.optimizers.rl.GroupAdvantages;
import org.align4j.optimizers.rl.SamplingLogProbs;
import org.align4j.rewardmodel.RewardModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Private PPO ({@link PpoTrainer} with privacy settings): every prompt's clipped gradient is within C and the
 * gradient paths agree; a prompt's advantages ignore the other prompts' rewards; the per-prompt loss is the
 * non-private PPO loss of that prompt's completions; a private run raises the reward with a growing,
 * accountant-exact epsilon; the seed fixes the run; the PPO settings private PPO once refused (length, batch size,
 * epochs, optimizer, seed) are used; settings it cannot honour are refused naming the parameter.
 */
class PrivatePpoTest {

  private static final List<String> PROMPTS = List.of("x", "hello", "q", "ab ", "def f", "9", "Zz", "(");

  /** Privacy settings without sampling of their own: the config's batch size is the expected batch size. */
  private static final PrivacySettings DP = PrivacySettings.builder().noiseMultiplier(1).build();

  /** The fraction of the response's bytes that are lowercase ASCII letters: about 0.1 for a fresh model. */
  private static final RewardModel LOWERCASE = (prompts, responses) -> {
    double[] out = new double[responses.size()];
    for (int i = 0; i < out.length; i++) {
      String r = responses.get(i);
      out[i] = r.isEmpty() ? 0 : (double) r.chars().filter(c -> c >= 'a' && c <= 'z').count() / r.length();
    }
    return out;
  };

  /** A fresh one-layer byte-level model. */
  private static TransformerLm model(long seed) {
    TransformerConfig c = TransformerConfig.builder().vocabSize(ByteTokenizer.INSTANCE.vocabSize())
        .contextLength(16).dModel(16).heads(2).layers(1).mlpRatio(2).build();
    return TransformerLm.create(c, ByteTokenizer.INSTANCE, seed);
  }

  private static PpoConfig.Builder ppo() {
    return PpoConfig.builder().responseLength(5).temperature(1.0).klCoef(0.05);
  }

  private static SamplingLogProbs sampling(TransformerLm policy, PpoConfig config) {
    return SamplingLogProbs.of(policy.tokenizer(), policy.config().vocabSize(), config.temperature());
  }

  @Test
  void everyPromptsClippedGradientIsWithinCAndThePathsAgree() {
    TransformerLm policy = TinyModels.perturbed(16, 5, 0.05);
    PpoConfig config = ppo().samplesPerPrompt(2).vfCoef(0.5).entropyCoef(0.01).build();
    PpoSession session = new PpoTrainer(config, LOWERCASE).session(policy, policy.copy(), PROMPTS);
    // a value head that is not zero, so the value loss has a gradient through the trunk too
    INDArray head = session.valueHead().get(PpoSession.VALUE_WEIGHT);
    for (int i = 0; i < head.length(); i++) {
      head.putScalar(i, 0.3 * Math.sin(i + 1));
    }
    List<RolloutGroup> groups = RolloutGroup.perPrompt(session.perPromptRollout(PROMPTS, 4), 2);
    assertThat(groups).hasSize(PROMPTS.size());
    PolicyRolloutLoss loss = new PolicyRolloutLoss(config, sampling(policy, config));
    Map<String, INDArray> extra = Map.of(PpoSession.VALUE_WEIGHT, head);
    int seqLen = session.sequenceLength();

    PerExampleGradients<RolloutGroup> loop =
        GradientPath.LOOP.build(policy.weights(), extra, loss, seqLen, 1, false);
    PerExampleGradients<RolloutGroup> handWrittenPath =
        GradientPath.BACKPROP.build(policy.weights(), extra, loss, DpFixtures.CONTEXT, 3, false);
    List<Map<String, INDArray>> perPrompt = loop.compute(groups);
    List<Map<String, INDArray>> handWritten = handWrittenPath.compute(groups);
    double[] norms = new double[groups.size()];
    for (int i = 0; i < groups.size(); i++) {
      Map<String, INDArray> g = perPrompt.get(i);
      assertThat(g.get(PpoSession.VALUE_WEIGHT).amaxNumber().doubleValue()).as("value head gradient").isPositive();
      assertThat(maxDiff(handWritten.get(i), g)).as("prompt " + i).isLessThan(1e-4 * Math.max(1, maxAbs(g)));
      norms[i] = norm(g);
    }
    // between two examples' norms, so that float rounding cannot decide whether one of them is clipped
    double[] sorted = Arrays.stream(norms).sorted().toArray();
    double c = (sorted[norms.length / 2 - 1] + sorted[norms.length / 2]) / 2;
    PerExampleClipping clipping = new PerExampleClipping(c, ClippingMode.FLAT, loop.parameterNames());
    Map<String, INDArray> expected = DpFixtures.zerosLike(perPrompt.get(0));
    int over = 0;
    for (int i = 0; i < groups.size(); i++) {
      Map<String, INDArray> g = perPrompt.get(i); // a copy: clipped in place
      assertThat(clipping.clip(g)).isCloseTo(norms[i], within(1e-6 * norms[i]));
      assertThat(norm(g)).as("prompt " + i + " after clipping").isLessThanOrEqualTo(c * (1 + 1e-5));
      g.forEach((k, v) -> expected.get(k).addi(v));
      over += norms[i] > c ? 1 : 0;
    }
    assertThat(over).isPositive();
    for (PerExampleGradients<RolloutGroup> path : List.of(loop, handWrittenPath)) {
      Map<String, INDArray> sum = DpFixtures.zerosLike(expected);
      ClipStats stats = path.accumulateClipped(groups, clipping, sum);
      assertThat(stats.examples()).isEqualTo(groups.size());
      assertThat(stats.clipped()).isEqualTo(over);
      assertThat(stats.normSum()).isCloseTo(Arrays.stream(norms).sum(), within(1e-4 * stats.normSum()));
      assertThat(maxDiff(sum, expected)).isLessThan(1e-4 * maxAbs(expected));
      assertThat(norm(sum)).isLessThanOrEqualTo(groups.size() * c * (1 + 1e-5));
    }
  }

  @Test
  void aPromptsAdvantagesIgnoreTheOtherPromptsRewards() {
    TransformerLm policy = model(3);
    double[] bonus = {0};
    // the second prompt's completions score higher by the bonus; the sampled tokens do not depend on it
    RewardModel reward = (prompts, responses) -> {
      double[] s = LOWERCASE.score(prompts, responses);
      for (int i = 0; i < s.length; i++) {
        s[i] += prompts.get(i).equals(PROMPTS.get(1)) ? bonus[0] : 0;
      }
      return s;
    };
    for (AdvantageEstimator estimator : AdvantageEstimator.values()) {
      PpoConfig config = ppo().advantageEstimator(estimator).samplesPerPrompt(3)
          .grpoScaling(GroupAdvantages.Scaling.NONE).build();
      PpoSession session = new PpoTrainer(config, reward).session(policy, policy.copy(), PROMPTS);
      List<String> two = PROMPTS.subList(0, 2);
      bonus[0] = 0;
      PpoRollout a = session.perPromptRollout(two, 9);
      PpoRollout plainA = session.rollout(two, 9);
      bonus[0] = 5;
      PpoRollout b = session.perPromptRollout(two, 9);
      PpoRollout plainB = session.rollout(two, 9);
      assertThat(b.responses()).usingRecursiveComparison().isEqualTo(a.responses());
      for (int i = 0; i < 3; i++) {
        assertThat(b.advantages()[i]).as(estimator + " completion " + i).containsExactly(a.advantages()[i]);
        assertThat(b.returns()[i]).containsExactly(a.returns()[i]);
      }
      if (estimator == AdvantageEstimator.GAE) {
        // the non-private rollout whitens over the batch: there the other prompt's reward moves them
        assertThat(plainB.advantages()[0]).isNotEqualTo(plainA.advantages()[0]);
      }
    }
  }

  @Test
  void thePerPromptLossIsTheNonPrivatePpoLossOfThatPromptsCompletions() {
    TransformerLm policy = model(4);
    PpoConfig config = ppo().samplesPerPrompt(2).miniBatches(1).ppoEpochs(1).learningRate(0.05).vfCoef(0.3)
        .entropyCoef(0.02).build();
    PpoSession session = new PpoTrainer(config, LOWERCASE).session(policy, policy.copy(), PROMPTS);
    PolicyRolloutLoss loss = new PolicyRolloutLoss(config, sampling(policy, config));
    int seqLen = session.sequenceLength();
    PerExampleGradients<RolloutGroup> loop = GradientPath.LOOP.build(policy.weights(),
        Map.of(PpoSession.VALUE_WEIGHT, session.valueHead().get(PpoSession.VALUE_WEIGHT)), loss, seqLen, 1, false);
    PerExampleClipping none = new PerExampleClipping(1e9, ClippingMode.FLAT, loop.parameterNames());
    for (String prompt : List.of("hello", "(")) {
      PpoRollout rollout = session.rollout(List.of(prompt), prompt.length());
      session.epoch(rollout, 1); // moves the policy and the value head away from the sampling state
      session.valueHead().get(PpoSession.VALUE_BIAS).assign(0); // private PPO trains no value bias
      RolloutGroup group = RolloutGroup.perPrompt(rollout, 2).get(0);
      Map<String, INDArray> sum = DpFixtures.zerosLike(policy.weights().asMap());
      sum.put(PpoSession.VALUE_WEIGHT, session.valueHead().get(PpoSession.VALUE_WEIGHT).ulike().assign(0));
      double dpLoss = loop.accumulateClipped(List.of(group), none, sum).lossSum();
      PpoEpochStats plain = session.epoch(rollout, 2); // measured before its update
      assertThat(plain.approxKl()).as("the ratio is not 1").isGreaterThan(1e-6);
      assertThat(plain.valueLoss()).isPositive();
      double expected = plain.policyLoss() + 0.3 * plain.valueLoss() - 0.02 * plain.entropy();
      assertThat(dpLoss).as(prompt).isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
    }
  }

  @Test
  void aPrivateRunRaisesTheRewardAndReportsAGrowingEpsilon() {
    TransformerLm policy = model(1);
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      prompts.addAll(PROMPTS);
    }
    double before = meanReward(policy);
    // the expected batch size is the config's batch size of 48 prompts; the cosine schedule is DP-SGD's default
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(0.5).clipNorm(0.1)
        .gradientPath(GradientPath.BACKPROP).physicalBatchSize(12).epsilonEvery(3).build();
    PpoConfig config = ppo().advantageEstimator(AdvantageEstimator.RLOO).samplesPerPrompt(4).batchSize(48)
        .iterations(12).ppoEpochs(1).optimizer(OptimizerSettings.builder().learningRate(0.1).weightDecay(0).build())
        .seed(3).privacy(privacy).build();
    PpoResult r = new PpoTrainer(config, LOWERCASE).train(policy, prompts);
    DpTrainingResult training = r.privacy().orElseThrow();
    double after = meanReward(r.policy());
    System.out.printf("DP PPO: mean reward %.3f -> %.3f, epsilon %.3f at delta %.4f, scores %s%n", before, after,
        training.epsilon(), training.delta(), r.meanScores());
    assertThat(before).isBetween(0.02, 0.25);
    assertThat(after).isGreaterThan(before + 0.2);
    double q = 48.0 / prompts.size();
    assertThat(training.steps()).isEqualTo(12);
    assertThat(r.steps()).isEqualTo(12);
    assertThat(r.meanScores()).hasSize(12);
    assertThat(training.privacyHistory()).containsExactly(new MechanismStep(0.5, q, 12));
    assertThat(training.epsilon()).isFinite().isPositive()
        .isEqualTo(new RdpAccountant().add(0.5, q, 12).epsilon(1.0 / prompts.size()));
    List<Double> epsilons = training.epsilons().stream().map(EpsilonPoint::epsilon).toList();
    assertThat(training.epsilons().stream().map(EpsilonPoint::step)).containsExactly(3L, 6L, 9L, 12L);
    assertThat(epsilons).isSorted().doesNotHaveDuplicates();
    assertThat(r.valueHead()).isEmpty();
    assertThat(r.policy().provenance().steps()).isEqualTo(policy.provenance().steps() + 12);
  }

  @Test
  void theSameSeedGivesTheSameWeightsAndEpochsPerBatchAreAccountedAsOneStepOfSigmaOverRootK() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(1.2).sampleRate(0.5)
        .gradientPath(GradientPath.LOOP).build();
    PpoConfig.Builder config = ppo().responseLength(3).vfCoef(0.5).iterations(3).ppoEpochs(2)
        .optimizer(OptimizerSettings.builder().learningRate(0.01).build()).privacy(privacy).seed(5);
    PpoResult a = new PpoTrainer(config.build(), LOWERCASE).train(model(2), PROMPTS);
    PpoResult b = new PpoTrainer(config.build(), LOWERCASE).train(model(2), PROMPTS);
    PpoResult c = new PpoTrainer(config.seed(6).build(), LOWERCASE).train(model(2), PROMPTS);
    assertThat(maxDiff(a.policy().weights().asMap(), b.policy().weights().asMap())).isZero();
    assertThat(a.valueHead().get(PpoSession.VALUE_WEIGHT)).isEqualTo(b.valueHead().get(PpoSession.VALUE_WEIGHT));
    assertThat(a.valueHead().get(PpoSession.VALUE_WEIGHT).amaxNumber().doubleValue()).isPositive();
    assertThat(a.valueHead().get(PpoSession.VALUE_BIAS).amaxNumber().doubleValue()).isZero();
    assertThat(a.meanScores()).isEqualTo(b.meanScores());
    assertThat(maxDiff(a.policy().weights().asMap(), c.policy().weights().asMap())).isPositive();
    assertThat(maxDiff(a.policy().weights().asMap(), model(2).weights().asMap())).isPositive();

    double sigma = 1.2 / Math.sqrt(2);
    DpTrainingResult training = a.privacy().orElseThrow();
    assertThat(training.noiseMultiplier()).isEqualTo(1.2);
    assertThat(training.privacyHistory()).containsExactly(new MechanismStep(sigma, 0.5, 3));
    double exact = new RdpAccountant().add(sigma, 0.5, 3).epsilon(1.0 / PROMPTS.size());
    assertThat(training.epsilon()).isEqualTo(exact)
        .isGreaterThan(new RdpAccountant().add(1.2, 0.5, 6).epsilon(1.0 / PROMPTS.size()));
    assertThat(a.policy().provenance().steps()).isEqualTo(model(2).provenance().steps() + 6);
    // the history records the mechanism the accountant composed, per prompt
    TrainingStage stage = a.policy().provenance().lastStage().orElseThrow();
    assertThat(stage.kind()).isEqualTo("ppo");
    assertThat(stage.dataFingerprint()).isEqualTo(DataFingerprint.ofPrompts(PROMPTS));
    assertThat(stage.settings()).containsEntry("ppoEpochs", "2").containsEntry("privacy.noiseMultiplier", "1.2");
    assertThat(stage.privacy()).hasValue(new PrivacySpent(exact, 1.0 / PROMPTS.size(), sigma, 0.5, 3, "rdp",
        PrivacyUnit.PROMPT));
  }

  @Test
  void anEmptySampleIsAStepOfNoiseWithoutRollouts() {
    PrivacySettings privacy = PrivacySettings.builder().noiseMultiplier(1).sampleRate(0.05)
        .gradientPath(GradientPath.LOOP).build();
    PpoConfig config = ppo().responseLength(3).advantageEstimator(AdvantageEstimator.GRPO).samplesPerPrompt(2)
        .iterations(4).ppoEpochs(1).optimizer(OptimizerSettings.builder().learningRate(0.01).build()).seed(1)
        .privacy(privacy).build();
    TransformerLm policy = model(6);
    PpoResult r = new PpoTrainer(config, LOWERCASE).train(policy, PROMPTS);
    long empty = r.meanScores().stream().filter(x -> x.isNaN()).count();
    assertThat(empty).isBetween(1L, 3L); // with q = 0.05 over 8 prompts, about 2 of 4 samples are empty
    assertThat(r.privacy().orElseThrow().history()).hasSize(4)
        .filteredOn(m -> Double.isNaN(m.loss())).hasSize((int) empty);
    assertThat(r.privacy().orElseThrow().privacyHistory()).containsExactly(new MechanismStep(1, 0.05, 4));
    assertThat(maxDiff(policy.weights().asMap(), model(6).weights().asMap())).isPositive();
  }

  @Test
  void privatePpoUsesThePpoSettingsItOnceRefused() {
    // length, expected batch size, updates per batch, optimizer and seed come from the PPO settings
    PpoConfig.Builder config = ppo().responseLength(3).advantageEstimator(AdvantageEstimator.RLOO)
        .samplesPerPrompt(2).iterations(2).batchSize(4).ppoEpochs(2).learningRate(0.05).weightDecay(0.1).seed(11)
        .privacy(PrivacySettings.builder().noiseMultiplier(1).gradientPath(GradientPath.LOOP).build());
    PpoResult r = new PpoTrainer(config.build(), LOWERCASE).train(model(7), PROMPTS);
    DpTrainingResult training = r.privacy().orElseThrow();
    assertThat(training.steps()).isEqualTo(2);
    assertThat(training.sampleRate()).isEqualTo(4.0 / PROMPTS.size());
    assertThat(training.privacyHistory()).containsExactly(new MechanismStep(1 / Math.sqrt(2), 0.5, 2));
    assertThat(r.steps()).isEqualTo(4);
    assertThat(r.history()).hasSize(2).allSatisfy(m -> assertThat(m.steps()).isEqualTo(2));
    TrainingStage stage = r.policy().provenance().lastStage().orElseThrow();
    assertThat(stage.kind()).isEqualTo("rloo");
    assertThat(stage.seed()).isEqualTo(11);
    assertThat(stage.steps()).isEqualTo(4);
    // the global clip is not used (C bounds each prompt's gradient instead); the learning rate is
    PpoResult clipped = new PpoTrainer(config.clipNorm(5).build(), LOWERCASE).train(model(7), PROMPTS);
    assertThat(maxDiff(clipped.policy().weights().asMap(), r.policy().weights().asMap())).isZero();
    PpoResult slower = new PpoTrainer(config.learningRate(0.01).build(), LOWERCASE).train(model(7), PROMPTS);
    assertThat(maxDiff(slower.policy().weights().asMap(), r.policy().weights().asMap())).isPositive();
    // the rollout and loss settings are kept as given
    PpoConfig used = PpoConfig.builder().responseLength(3).temperature(1.0).klCoef(0.2).vfCoef(0.5).build();
    PpoConfig privateUse = used.toBuilder().privacy(DP).build();
    assertThat(privateUse.privacy()).isEqualTo(DP);
    assertThat(privateUse.toBuilder().privacy(PrivacySettings.none()).build()).isEqualTo(used);
  }

  @Test
  void ppoConfigKeepsAConstantLearningRateUnlessPrivate() {
    PpoConfig ppo = PpoConfig.builder().learningRate(1e-4).build();
    assertThat(ppo.optimizer()).isEqualTo(
        OptimizerSettings.builder().learningRate(1e-4).minLearningRateRatio(1).weightDecay(0).build());
    assertThat(ppo.toBuilder().build()).isEqualTo(ppo);
    assertThatThrownBy(() -> PpoConfig.builder().optimizer(OptimizerSettings.builder().warmupSteps(3)
        .minLearningRateRatio(1).build()).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmupSteps").hasMessageContaining("3");
    assertThatThrownBy(() -> PpoConfig.builder().optimizer(OptimizerSettings.builder().build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minLearningRateRatio")
        .hasMessageContaining("0.1");
    // DP-SGD's loop follows the schedule
    OptimizerSettings schedule = OptimizerSettings.builder().warmupSteps(3).build();
    assertThat(PpoConfig.builder().optimizer(schedule).privacy(DP).build().optimizer()).isEqualTo(schedule);
  }

  @Test
  void refusesBadInputNamingTheParameter() {
    PpoConfig fine = ppo().iterations(1).privacy(DP).build();
    assertThatThrownBy(() -> new PpoTrainer(fine, LOWERCASE).train(model(1), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompts");
    assertThatThrownBy(() -> ppo().ppoEpochs(0).privacy(DP).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ppoEpochs").hasMessageContaining("0");
    expectBad(ppo().miniBatches(2).batchSize(4), "miniBatches must be 1 for private PPO", "got 2");
    expectBad(ppo().whitenRewards(true), "whitenRewards must be false for private PPO", "got true");
    expectBad(ppo().advantageEstimator(AdvantageEstimator.GRPO).grpoScaling(GroupAdvantages.Scaling.BATCH),
        "grpoScaling must be GROUP or NONE for private PPO", "got BATCH");
    expectBad(ppo().adaptiveKl(0.1, 6, 1000), "klController must be fixed for private PPO", "Adaptive");
    expectBad(ppo().targetKl(0.1), "targetKl must be infinite for private PPO", "got 0.1");
    assertThatThrownBy(() -> ppo().ppoEpochs(0).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ppoEpochs");
    assertThatThrownBy(() -> new RolloutGroup(new int[] {256}, List.of(new int[] {97, 98}),
        new double[][] {{0}}, new double[][] {{0, 0}}, new double[][] {{0, 0}}, new double[][] {{0, 0}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logprobs");
    assertThatThrownBy(() -> new RolloutGroup(new int[] {256}, List.of(), new double[0][], new double[0][],
        new double[0][], new double[0][])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("responses");
  }

  /** {@code ppo} builds without privacy and is refused with it, the message holding every fragment. */
  private static void expectBad(PpoConfig.Builder ppo, String... fragments) {
    assertThat(ppo.build().privacy().enabled()).isFalse();
    var thrown = assertThatThrownBy(() -> ppo.privacy(DP).build()).isInstanceOf(IllegalArgumentException.class);
    for (String f : fragments) {
      thrown.hasMessageContaining(f);
    }
  }

  /** The mean reward of 8 completions of 5 tokens of each prompt, sampled at temperature 1 with a fixed seed. */
  private static double meanReward(TransformerLm model) {
    List<int[]> ids = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (String p : PROMPTS) {
      int[] body = model.tokenizer().encode(p);
      int[] encoded = new int[body.length + 1];
      encoded[0] = model.tokenizer().bosId();
      System.arraycopy(body, 0, encoded, 1, body.length);
      for (int s = 0; s < 8; s++) {
        ids.add(encoded);
        prompts.add(p);
      }
    }
    List<String> texts = new ArrayList<>();
    for (int[] r : model.generate(ids, GenerationConfig.sampling(5, 1.0, 12345))) {
      texts.add(model.tokenizer().decode(r));
    }
    return Arrays.stream(LOWERCASE.score(prompts, texts)).average().orElseThrow();
  }

  private static double norm(Map<String, INDArray> g) {
    double sq = 0;
    for (INDArray v : g.values()) {
      double n = v.norm2Number().doubleValue();
      sq += n * n;
    }
    return Math.sqrt(sq);
  }
}
