package org.align4j.optimizers.preference;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link LossAlgebra} over rank-1 ND4J arrays: vectorised, in the inputs' data type. Every operation returns a
 * new array; inputs are never modified.
 */
enum Nd4jAlgebra implements LossAlgebra<INDArray> {
  INSTANCE;

  @Override
  public INDArray add(INDArray a, INDArray b) {
    if (isBroadcast(a, b)) {
      return a.add(b.getDouble(0));
    }
    return isBroadcast(b, a) ? b.add(a.getDouble(0)) : a.add(b);
  }

  @Override
  public INDArray sub(INDArray a, INDArray b) {
    if (isBroadcast(a, b)) {
      return a.sub(b.getDouble(0));
    }
    return isBroadcast(b, a) ? b.rsub(a.getDouble(0)) : a.sub(b);
  }

  @Override
  public INDArray mul(INDArray a, INDArray b) {
    if (isBroadcast(a, b)) {
      return a.mul(b.getDouble(0));
    }
    return isBroadcast(b, a) ? b.mul(a.getDouble(0)) : a.mul(b);
  }

  @Override
  public INDArray div(INDArray a, INDArray b) {
    if (isBroadcast(a, b)) {
      return a.div(b.getDouble(0));
    }
    return isBroadcast(b, a) ? b.rdiv(a.getDouble(0)) : a.div(b);
  }

  @Override
  public INDArray scale(INDArray a, double c) {
    return a.mul(c);
  }

  @Override
  public INDArray shift(INDArray a, double c) {
    return a.add(c);
  }

  @Override
  public INDArray exp(INDArray a) {
    return Transforms.exp(a, true);
  }

  @Override
  public INDArray relu(INDArray a) {
    return Transforms.relu(a, true);
  }

  @Override
  public INDArray square(INDArray a) {
    return a.mul(a);
  }

  @Override
  public INDArray abs(INDArray a) {
    return Transforms.abs(a, true);
  }

  @Override
  public INDArray log1p(INDArray a) {
    INDArray out = a.ulike();
    Nd4j.exec(new Log1p(a, out));
    return out;
  }

  @Override
  public INDArray sigmoid(INDArray a) {
    return Transforms.sigmoid(a, true);
  }

  @Override
  public INDArray sum(INDArray a) {
    return a.sum().reshape(1);
  }

  @Override
  public INDArray sortAscending(INDArray a) {
    return Nd4j.sort(a.dup(), true);
  }

  @Override
  public INDArray zerosLike(INDArray like) {
    return Nd4j.zerosLike(like);
  }

  private static boolean isBroadcast(INDArray full, INDArray single) {
    return single.length() == 1 && full.length() != 1;
  }
}
