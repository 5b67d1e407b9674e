package org.align4j.optimizers.preference;

/**
 * The members of the DPO family, as TRL defines them (names follow TRL's {@code loss_type}). Notation: {@code cl
 * = pc - rc}, {@code rl = pr - rr} (policy minus reference log-probabilities of the chosen and rejected
 * completions), {@code Δ = cl - rl}, {@code z = βΔ}, {@code ε} = label smoothing, {@code Lc, Lr} = completion
 * token counts clamped to at least 1.
 */
public enum PreferenceLossType {
  /** DPO (Rafailov et al. 2023): {@code -logσ(z)}. */
  SIGMOID(false, false),
  /**
   * IPO (Azar et al. 2023): {@code ((cl/Lc - rl/Lr) - 1/(2β))²} with TRL's per-side length normalisation, or
   * {@code (Δ - 1/(2β))²} when normalisation is switched off (OpenRLHF).
   */
  IPO(false, false),
  /** SLiC hinge: {@code max(0, 1 - z)}. */
  HINGE(false, false),
  /** Robust DPO, an unbiased estimator under label noise ε: {@code [-(1-ε)logσ(z) + ε logσ(-z)] / (1-2ε)}. */
  ROBUST(true, false),
  /** Conservative DPO (label smoothing; TRL's {@code sigmoid} up to v0.28): {@code -(1-ε)logσ(z) - ε logσ(-z)}. */
  CDPO(true, false),
  /** EXO: {@code σ(z)(logσ(z) - log(1-ε)) + σ(-z)(logσ(-z) - log ε)}; needs {@code ε > 0} (paper: 1e-3). */
  EXO_PAIR(true, false),
  /** NCA: {@code -logσ(β cl) - ½logσ(-β cl) - ½logσ(-β rl)}. */
  NCA_PAIR(false, false),
  /** BCO on pairs (TRL main, no running reward mean): {@code -logσ(β cl) - logσ(-β rl)}. */
  BCO_PAIR(false, false),
  /** SPPO (hard labels): {@code (cl - 1/(2β))² + (rl + 1/(2β))²}. */
  SPPO_HARD(false, false),
  /**
   * AOT, paired: {@code d = sort(pc - pr) - sort(rc - rr)} over the batch, then cDPO's expression of {@code βd}.
   * Batch-coupled: example {@code i} of the result is the {@code i}-th smallest, not pair {@code i}.
   */
  AOT(true, true),
  /** AOT, unpaired: {@code d = sort(cl) - sort(rl)} over the batch, then cDPO's expression of {@code βd}. */
  AOT_UNPAIRED(true, true),
  /** APO-zero: {@code (1 - σ(β cl)) + σ(β rl)}. */
  APO_ZERO(false, false),
  /** APO-down: {@code σ(β cl) + (1 - σ(z))}. */
  APO_DOWN(false, false),
  /** DiscoPOP: {@code m = σ(z/τ)}, {@code -logσ(z)(1-m) + e^{-z} m}, the product taken in log space. */
  DISCOPOP(false, false),
  /** Length-normalised DPO: {@code -logσ(β(cl/Lc - rl/Lr))}. */
  SIGMOID_NORM(false, false);

  private final boolean usesLabelSmoothing;
  private final boolean batchCoupled;

  PreferenceLossType(boolean usesLabelSmoothing, boolean batchCoupled) {
    this.usesLabelSmoothing = usesLabelSmoothing;
    this.batchCoupled = batchCoupled;
  }

  /** Whether the loss reads the label-smoothing parameter ε. */
  public boolean usesLabelSmoothing() {
    return usesLabelSmoothing;
  }

  /**
   * Whether the per-example values depend on the whole batch (the AOT losses sort over it); such losses have no
   * SameDiff form.
   */
  public boolean isBatchCoupled() {
    return batchCoupled;
  }

  /**
   * The kind of training stage this loss makes, as a model's history records it: {@code dpo} for
   * {@link #SIGMOID}, otherwise the lower-case name ({@code ipo}, {@code hinge}, ...).
   */
  public String stageKind() {
    return this == SIGMOID ? "dpo" : name().toLowerCase(java.util.Locale.ROOT);
  }
}
