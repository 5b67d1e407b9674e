package org.align4j.optimizers.preference;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.align4j.core.util.StableMath;

/** {@link LossAlgebra} over {@code double[]}: the float64 reference form, plain Java loops. */
enum DoubleArrayAlgebra implements LossAlgebra<double[]> {
  INSTANCE;

  @Override
  public double[] add(double[] a, double[] b) {
    return zip(a, b, Double::sum);
  }

  @Override
  public double[] sub(double[] a, double[] b) {
    return zip(a, b, (x, y) -> x - y);
  }

  @Override
  public double[] mul(double[] a, double[] b) {
    return zip(a, b, (x, y) -> x * y);
  }

  @Override
  public double[] div(double[] a, double[] b) {
    return zip(a, b, (x, y) -> x / y);
  }

  @Override
  public double[] scale(double[] a, double c) {
    return map(a, x -> x * c);
  }

  @Override
  public double[] shift(double[] a, double c) {
    return map(a, x -> x + c);
  }

  @Override
  public double[] exp(double[] a) {
    return map(a, Math::exp);
  }

  @Override
  public double[] relu(double[] a) {
    return map(a, x -> Math.max(x, 0.0));
  }

  @Override
  public double[] square(double[] a) {
    return map(a, x -> x * x);
  }

  @Override
  public double[] abs(double[] a) {
    return map(a, Math::abs);
  }

  @Override
  public double[] log1p(double[] a) {
    return map(a, Math::log1p);
  }

  @Override
  public double[] sigmoid(double[] a) {
    return map(a, StableMath::sigmoid);
  }

  @Override
  public double[] sum(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return new double[] {s};
  }

  @Override
  public double[] sortAscending(double[] a) {
    double[] out = a.clone();
    Arrays.sort(out);
    return out;
  }

  @Override
  public double[] zerosLike(double[] like) {
    return new double[like.length];
  }

  @Override
  public double[] logSigmoid(double[] a) {
    return map(a, StableMath::logSigmoid);
  }


  private static double[] map(double[] a, DoubleUnaryOperator f) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = f.applyAsDouble(a[i]);
    }
    return out;
  }

  private static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
    if (b.length == 1 && a.length != 1) {
      return map(a, x -> f.applyAsDouble(x, b[0]));
    }
    if (a.length == 1 && b.length != 1) {
      return map(b, y -> f.applyAsDouble(a[0], y));
    }
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = f.applyAsDouble(a[i], b[i]);
    }
    return out;
  }
}
