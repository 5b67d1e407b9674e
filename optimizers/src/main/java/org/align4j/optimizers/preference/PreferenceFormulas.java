package org.align4j.optimizers.preference;

/** The one definition of each preference loss, written over a {@link LossAlgebra}. */
final class PreferenceFormulas {

  private PreferenceFormulas() {}

  /**
   * Per-pair losses. {@code rc} and {@code rr} are ignored when the loss is reference-free; {@code lc} and
   * {@code lr} are raw token counts (clamped to at least 1 here).
   */
  static <T> T perPair(PreferenceLoss cfg, LossAlgebra<T> a, T pc, T pr, T rc, T rr, T lc, T lr) {
    T refChosen = cfg.referenceFree() ? a.zerosLike(pc) : rc;
    T refRejected = cfg.referenceFree() ? a.zerosLike(pr) : rr;
    double beta = cfg.beta();
    double eps = cfg.labelSmoothing();
    T cl = a.sub(pc, refChosen);
    T rl = a.sub(pr, refRejected);
    T z = a.scale(a.sub(cl, rl), beta);
    T loss = switch (cfg.type()) {
      case SIGMOID -> a.neg(a.logSigmoid(z));
      case CDPO -> smoothedSigmoid(a, z, eps);
      case ROBUST -> a.scale(
          a.sub(a.scale(a.logSigmoid(z), -(1 - eps)), a.scale(a.logSigmoid(a.neg(z)), -eps)), 1 / (1 - 2 * eps));
      case HINGE -> a.relu(a.shift(a.neg(z), 1.0));
      case IPO -> a.square(a.shift(cfg.ipoLengthNormalized() ? normalizedDelta(a, cl, rl, lc, lr)
          : a.sub(cl, rl), -1 / (2 * beta)));
      case EXO_PAIR -> a.add(
          a.mul(a.sigmoid(z), a.shift(a.logSigmoid(z), -Math.log1p(-eps))),
          a.mul(a.sigmoid(a.neg(z)), a.shift(a.logSigmoid(a.neg(z)), -Math.log(eps))));
      case NCA_PAIR -> a.neg(a.add(a.logSigmoid(a.scale(cl, beta)), a.scale(
          a.add(a.logSigmoid(a.scale(cl, -beta)), a.logSigmoid(a.scale(rl, -beta))), 0.5)));
      case BCO_PAIR -> a.neg(a.add(a.logSigmoid(a.scale(cl, beta)), a.logSigmoid(a.scale(rl, -beta))));
      case SPPO_HARD -> a.add(a.square(a.shift(cl, -1 / (2 * beta))), a.square(a.shift(rl, 1 / (2 * beta))));
      case AOT -> smoothedSigmoid(a, a.scale(
          a.sub(a.sortAscending(a.sub(pc, pr)), a.sortAscending(a.sub(refChosen, refRejected))), beta), eps);
      case AOT_UNPAIRED -> smoothedSigmoid(a, a.scale(a.sub(a.sortAscending(cl), a.sortAscending(rl)), beta), eps);
      case APO_ZERO -> a.add(a.sigmoid(a.scale(cl, -beta)), a.sigmoid(a.scale(rl, beta)));
      case APO_DOWN -> a.add(a.sigmoid(a.scale(cl, beta)), a.sigmoid(a.neg(z)));
      case DISCOPOP -> discopop(a, z, cfg.discopopTau());
      case SIGMOID_NORM -> a.neg(a.logSigmoid(a.scale(normalizedDelta(a, cl, rl, lc, lr), beta)));
    };
    if (cfg.nllWeight() > 0) {
      T nll = a.neg(a.div(a.sum(pc), a.clampMin(a.sum(lc), 1.0)));
      loss = a.add(loss, a.scale(nll, cfg.nllWeight()));
    }
    return loss;
  }

  /** {@code -(1-ε)logσ(x) - ε logσ(-x)}. */
  private static <T> T smoothedSigmoid(LossAlgebra<T> a, T x, double eps) {
    T main = a.scale(a.logSigmoid(x), -(1 - eps));
    return eps == 0 ? main : a.sub(main, a.scale(a.logSigmoid(a.neg(x)), eps));
  }

  /** {@code cl/Lc - rl/Lr} with the counts clamped to at least 1. */
  private static <T> T normalizedDelta(LossAlgebra<T> a, T cl, T rl, T lc, T lr) {
    return a.sub(a.div(cl, a.clampMin(lc, 1.0)), a.div(rl, a.clampMin(lr, 1.0)));
  }

  /** {@code -logσ(z)σ(-z/τ) + exp(logσ(z/τ) - z)}: the {@code e^{-z}σ(z/τ)} term never overflows. */
  private static <T> T discopop(LossAlgebra<T> a, T z, double tau) {
    T logistic = a.mul(a.neg(a.logSigmoid(z)), a.sigmoid(a.scale(z, -1 / tau)));
    T exponential = a.exp(a.sub(a.logSigmoid(a.scale(z, 1 / tau)), z));
    return a.add(logistic, exponential);
  }
}
