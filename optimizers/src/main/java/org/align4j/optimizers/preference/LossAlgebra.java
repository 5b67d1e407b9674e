package org.align4j.optimizers.preference;

/**
 * The element-wise operations the preference formulas are written in, so that one definition of each formula
 * serves Java arrays, ND4J arrays and SameDiff variables. Binary operations broadcast a one-element operand (the
 * result of {@link #sum}).
 *
 * @param <T> a vector of per-pair values
 */
interface LossAlgebra<T> {

  T add(T a, T b);

  T sub(T a, T b);

  T mul(T a, T b);

  T div(T a, T b);

  /** {@code a * c}. */
  T scale(T a, double c);

  /** {@code a + c}. */
  T shift(T a, double c);

  T exp(T a);

  /** {@code max(a, 0)}. */
  T relu(T a);

  T square(T a);

  T abs(T a);

  /** {@code log(1 + a)}, accurate for small {@code a}. */
  T log1p(T a);

  T sigmoid(T a);

  /** The sum over the batch, as a one-element vector. */
  T sum(T a);

  /** The values sorted ascending (a batch-coupled, non-differentiable permutation). */
  T sortAscending(T a);

  /** A vector of zeros shaped like {@code like}. */
  T zerosLike(T like);

  /** {@code -a}. */
  default T neg(T a) {
    return scale(a, -1.0);
  }

  /** {@code max(a, lo)}, for token counts (no gradient needed). */
  default T clampMin(T a, double lo) {
    return shift(relu(shift(a, -lo)), lo);
  }

  /**
   * {@code log(sigmoid(x)) = -softplus(-x)}, written as {@code (x - |x|)/2 - log1p(exp(-|x|))}: finite for every
   * finite {@code x}, and with the right derivative (1/2) at {@code x = 0} when {@code d|x|/dx = sign(x)}.
   */
  default T logSigmoid(T x) {
    T absX = abs(x);
    return sub(scale(sub(x, absX), 0.5), log1p(exp(neg(absX))));
  }
}
