package org.align4j.rewardmodel.calibration;

/**
 * The result of {@link Lowess#fit}: the fitted value of every input point (in input order) and the fitted curve
 * as knots, one per distinct x, to interpolate linearly at new x. Immutable: accessors return copies.
 */
public final class LowessFit {

  private final double[] knotX;
  private final double[] knotY;
  private final double[] fitted;

  LowessFit(double[] knotX, double[] knotY, double[] fitted) {
    this.knotX = knotX;
    this.knotY = knotY;
    this.fitted = fitted;
  }

  /** The fitted value of each input point, in input order. */
  public double[] fitted() {
    return fitted.clone();
  }

  /** The fitted value of input point {@code i}. */
  public double fitted(int i) {
    return fitted[i];
  }

  /** The number of input points. */
  public int size() {
    return fitted.length;
  }

  /** The distinct x values, ascending. */
  public double[] knotX() {
    return knotX.clone();
  }

  /** The fitted curve at each distinct x. */
  public double[] knotY() {
    return knotY.clone();
  }

  /**
   * The fitted curve at {@code x}: exact at the knots, linear between them, constant beyond the first and last.
   */
  public double valueAt(double x) {
    return Interpolation.linear(knotX, knotY, x);
  }
}
