package org.align4j.optimizers.preference;

import java.util.Arrays;
import java.util.Objects;
import org.align4j.core.util.Args;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A configured loss of the DPO family ({@link PreferenceLossType}), in three forms that share one definition of
 * the formula: float64 over Java arrays ({@link #perExample(PreferenceBatch)}, the reference), vectorised ND4J
 * ({@link #perExample(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray)}), and a SameDiff piece for
 * training graphs ({@link #loss(SameDiff, SDVariable, SDVariable, SDVariable, SDVariable, SDVariable,
 * SDVariable)}). Immutable and thread-safe.
 *
 * <pre>{@code
 * PreferenceLoss dpo = PreferenceLoss.builder().type(PreferenceLossType.SIGMOID).beta(0.1).build();
 * double loss = dpo.mean(batch);
 * DpoMetrics metrics = dpo.metrics(batch);
 * }</pre>
 *
 * <p>Optionally a negative log-likelihood term on the chosen completions is added to every pair with weight
 * {@code nllWeight} (TRL's {@code rpo_alpha} / the {@code sft} loss type): the token-mean negative
 * log-probability of the chosen completions over the batch, {@code -Σpc / max(ΣLc, 1)}.
 */
public final class PreferenceLoss {

  private static final String WORKSPACE_ID = "align4j-preference-loss";
  private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .build();

  private final PreferenceLossType type;
  private final double beta;
  private final double labelSmoothing;
  private final boolean ipoLengthNormalized;
  private final double discopopTau;
  private final double nllWeight;
  private final boolean referenceFree;

  private PreferenceLoss(Builder b) {
    this.type = b.type;
    this.beta = b.beta;
    this.labelSmoothing = b.labelSmoothing;
    this.ipoLengthNormalized = b.ipoLengthNormalized;
    this.discopopTau = b.discopopTau;
    this.nllWeight = b.nllWeight;
    this.referenceFree = b.referenceFree;
  }

  /** A builder with TRL's defaults: sigmoid (DPO), beta 0.1, no label smoothing, reference model used. */
  public static Builder builder() {
    return new Builder();
  }

  /** Per-pair losses in float64: the reference implementation. */
  public double[] perExample(PreferenceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    return PreferenceFormulas.perPair(this, DoubleArrayAlgebra.INSTANCE, batch.policyChosen(),
        batch.policyRejected(), batch.referenceChosen(), batch.referenceRejected(),
        toDoubles(batch.chosenTokens()), toDoubles(batch.rejectedTokens()));
  }

  /** The batch loss in float64: the mean of {@link #perExample(PreferenceBatch)}. */
  public double mean(PreferenceBatch batch) {
    double[] losses = perExample(batch);
    double sum = 0;
    for (double l : losses) {
      sum += l;
    }
    return sum / losses.length;
  }

  /**
   * Per-pair losses, vectorised with ND4J in the data type of {@code policyChosen} (float32 or float64). All
   * arguments are vectors of one length; the token counts may have any numeric type. When the loss is
   * reference-free, {@code referenceChosen} and {@code referenceRejected} are ignored and may be null.
   */
  public INDArray perExample(INDArray policyChosen, INDArray policyRejected, INDArray referenceChosen,
      INDArray referenceRejected, INDArray chosenTokens, INDArray rejectedTokens) {
    Args.check(policyChosen != null, "policyChosen must not be null");
    Args.check(policyChosen.dataType().isFPType(), "policyChosen must have a floating-point type, got %s",
        policyChosen.dataType());
    Args.check(policyChosen.isVector() || policyChosen.isScalar(), "policyChosen must be a vector, got shape %s",
        Arrays.toString(policyChosen.shape()));
    long n = policyChosen.length();
    Args.check(n > 0, "preference batch is empty: policyChosen has length 0");
    DataType dt = policyChosen.dataType();
    // The intermediates live in a reused workspace: fresh off-heap arrays per operation cost far more than the
    // arithmetic. Only the result is copied out.
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
      INDArray pc = policyChosen.reshape(n);
      INDArray pr = vector("policyRejected", policyRejected, n, dt);
      INDArray rc = referenceFree ? null : vector("referenceChosen", referenceChosen, n, dt);
      INDArray rr = referenceFree ? null : vector("referenceRejected", referenceRejected, n, dt);
      INDArray lc = vector("chosenTokens", chosenTokens, n, dt);
      INDArray lr = vector("rejectedTokens", rejectedTokens, n, dt);
      return PreferenceFormulas.perPair(this, Nd4jAlgebra.INSTANCE, pc, pr, rc, rr, lc, lr).detach();
    }
  }

  /**
   * Per-pair losses as SameDiff operations, differentiable with respect to the policy log-probabilities. The
   * inputs are vectors of one length (placeholders, variables or constants); token counts are cast to the data
   * type of {@code pc}. Reference-free losses ignore {@code rc} and {@code rr} (which may be null).
   *
   * @throws UnsupportedOperationException for the batch-coupled AOT losses, which sort over the batch
   */
  public SDVariable perExample(SameDiff sd, SDVariable pc, SDVariable pr, SDVariable rc, SDVariable rr,
      SDVariable lc, SDVariable lr) {
    Args.check(sd != null && pc != null && pr != null && lc != null && lr != null,
        "sd, pc, pr, lc and lr must not be null");
    Args.check(referenceFree || (rc != null && rr != null), "rc and rr are required unless referenceFree");
    if (type.isBatchCoupled()) {
      throw new UnsupportedOperationException(type + " sorts over the batch and has no SameDiff form");
    }
    DataType dt = pc.dataType();
    return PreferenceFormulas.perPair(this, new SameDiffAlgebra(sd), pc, pr, rc, rr, cast(lc, dt), cast(lr, dt));
  }

  /** The batch loss (mean over pairs) as a scalar SameDiff variable, ready to be a training loss. */
  public SDVariable loss(SameDiff sd, SDVariable pc, SDVariable pr, SDVariable rc, SDVariable rr, SDVariable lc,
      SDVariable lr) {
    return perExample(sd, pc, pr, rc, rr, lc, lr).mean();
  }

  /**
   * The per-pair intermediate quantities in float64: log-ratios, {@code Δ}, the length-normalised {@code Δ} and
   * the implicit rewards (reference 0 when reference-free).
   */
  public PreferenceTerms terms(PreferenceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    int n = batch.size();
    double[] cl = new double[n];
    double[] rl = new double[n];
    double[] delta = new double[n];
    double[] normalized = new double[n];
    double[] chosenRewards = new double[n];
    double[] rejectedRewards = new double[n];
    for (int i = 0; i < n; i++) {
      cl[i] = batch.policyChosen()[i] - (referenceFree ? 0 : batch.referenceChosen()[i]);
      rl[i] = batch.policyRejected()[i] - (referenceFree ? 0 : batch.referenceRejected()[i]);
      delta[i] = cl[i] - rl[i];
      normalized[i] = cl[i] / Math.max(batch.chosenTokens()[i], 1) - rl[i] / Math.max(batch.rejectedTokens()[i], 1);
      chosenRewards[i] = beta * cl[i];
      rejectedRewards[i] = beta * rl[i];
    }
    return new PreferenceTerms(cl, rl, delta, normalized, chosenRewards, rejectedRewards);
  }

  /**
   * TRL's DPO metrics for a batch: implicit rewards {@code β(policy - reference)} (reference 0 when
   * reference-free), accuracy with ties counted wrong, margins and mean log-probabilities.
   */
  public DpoMetrics metrics(PreferenceBatch batch) {
    Objects.requireNonNull(batch, "batch");
    int n = batch.size();
    double chosen = 0;
    double rejected = 0;
    double correct = 0;
    double logpsChosen = 0;
    double logpsRejected = 0;
    for (int i = 0; i < n; i++) {
      double rc = referenceFree ? 0 : batch.referenceChosen()[i];
      double rr = referenceFree ? 0 : batch.referenceRejected()[i];
      double c = beta * (batch.policyChosen()[i] - rc);
      double r = beta * (batch.policyRejected()[i] - rr);
      chosen += c;
      rejected += r;
      correct += c > r ? 1 : 0;
      logpsChosen += batch.policyChosen()[i];
      logpsRejected += batch.policyRejected()[i];
    }
    return new DpoMetrics(chosen / n, rejected / n, correct / n, (chosen - rejected) / n, logpsChosen / n,
        logpsRejected / n);
  }

  /** The loss type. */
  public PreferenceLossType type() {
    return type;
  }

  /** The inverse temperature β (> 0). */
  public double beta() {
    return beta;
  }

  /** The label-smoothing ε, in [0, 0.5); 0 for the types that do not read it. */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  /** Whether IPO divides each side's log-ratio by its token count (TRL; the default) or not (OpenRLHF). */
  public boolean ipoLengthNormalized() {
    return ipoLengthNormalized;
  }

  /** DiscoPOP's temperature τ. */
  public double discopopTau() {
    return discopopTau;
  }

  /** The weight of the chosen-completion NLL term (0: none). */
  public double nllWeight() {
    return nllWeight;
  }

  /** Whether reference log-probabilities are taken as 0. */
  public boolean referenceFree() {
    return referenceFree;
  }

  @Override
  public String toString() {
    return "PreferenceLoss{type=" + type + ", beta=" + beta + ", labelSmoothing=" + labelSmoothing
        + ", ipoLengthNormalized=" + ipoLengthNormalized + ", discopopTau=" + discopopTau + ", nllWeight="
        + nllWeight + ", referenceFree=" + referenceFree + "}";
  }

  private static double[] toDoubles(int[] counts) {
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }

  private static INDArray vector(String name, INDArray x, long n, DataType dt) {
    Args.check(x != null, "%s must not be null", name);
    Args.check((x.isVector() || x.isScalar()) && x.length() == n,
        "%s has shape %s, expected a vector of length %s (the length of policyChosen)", name,
        Arrays.toString(x.shape()), n);
    INDArray v = x.reshape(n);
    return v.dataType() == dt ? v : v.castTo(dt);
  }

  private static SDVariable cast(SDVariable x, DataType dt) {
    return x.dataType() == dt ? x : x.castTo(dt);
  }

  /** Builds a validated {@link PreferenceLoss}. */
  public static final class Builder {
    private PreferenceLossType type = PreferenceLossType.SIGMOID;
    private double beta = 0.1;
    private double labelSmoothing = 0.0;
    private boolean ipoLengthNormalized = true;
    private double discopopTau = 0.05;
    private double nllWeight = 0.0;
    private boolean referenceFree = false;

    private Builder() {}

    /** The loss type (default {@link PreferenceLossType#SIGMOID}). */
    public Builder type(PreferenceLossType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** The inverse temperature β, > 0 (default 0.1; IPO's τ). */
    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /**
     * Label smoothing ε in [0, 0.5) (default 0), read by CDPO, ROBUST, EXO_PAIR (which needs ε > 0), AOT and
     * AOT_UNPAIRED; other types reject ε > 0 rather than ignore it.
     */
    public Builder labelSmoothing(double labelSmoothing) {
      this.labelSmoothing = labelSmoothing;
      return this;
    }

    /** Whether IPO normalises each side by its token count (default true, as TRL does). */
    public Builder ipoLengthNormalized(boolean ipoLengthNormalized) {
      this.ipoLengthNormalized = ipoLengthNormalized;
      return this;
    }

    /** DiscoPOP's temperature τ, > 0 (default 0.05). */
    public Builder discopopTau(double discopopTau) {
      this.discopopTau = discopopTau;
      return this;
    }

    /** Weight of the NLL term on the chosen completions, >= 0 (default 0: off). */
    public Builder nllWeight(double nllWeight) {
      this.nllWeight = nllWeight;
      return this;
    }

    /** Whether to drop the reference model (reference log-probabilities 0; default false). */
    public Builder referenceFree(boolean referenceFree) {
      this.referenceFree = referenceFree;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the parameter and value when one is out of range
     */
    public PreferenceLoss build() {
      Args.positive("beta", beta);
      Args.finite("beta", beta);
      Args.inClosedOpen("labelSmoothing", labelSmoothing, 0.0, 0.5);
      Args.check(type.usesLabelSmoothing() || labelSmoothing == 0,
          "labelSmoothing must be 0 for %s (it does not read it; CDPO is smoothed DPO), got %s", type, labelSmoothing);
      Args.check(type != PreferenceLossType.EXO_PAIR || labelSmoothing > 0,
          "labelSmoothing must be > 0 for EXO_PAIR (the paper uses 1e-3), got %s", labelSmoothing);
      Args.positive("discopopTau", discopopTau);
      Args.finite("discopopTau", discopopTau);
      Args.nonNegative("nllWeight", nllWeight);
      Args.finite("nllWeight", nllWeight);
      return new PreferenceLoss(this);
    }
  }
}
