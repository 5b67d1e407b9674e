package org.align4j.optimizers.preference;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@link LossAlgebra} over SameDiff variables: builds differentiable graph operations. Sorting (needed only by
 * the batch-coupled AOT losses) has no differentiable SameDiff op and is refused.
 */
final class SameDiffAlgebra implements LossAlgebra<SDVariable> {

  private final SameDiff sd;

  SameDiffAlgebra(SameDiff sd) {
    this.sd = sd;
  }

  @Override
  public SDVariable add(SDVariable a, SDVariable b) {
    return a.add(b);
  }

  @Override
  public SDVariable sub(SDVariable a, SDVariable b) {
    return a.sub(b);
  }

  @Override
  public SDVariable mul(SDVariable a, SDVariable b) {
    return a.mul(b);
  }

  @Override
  public SDVariable div(SDVariable a, SDVariable b) {
    return a.div(b);
  }

  @Override
  public SDVariable scale(SDVariable a, double c) {
    return a.mul(c);
  }

  @Override
  public SDVariable shift(SDVariable a, double c) {
    return a.add(c);
  }

  @Override
  public SDVariable exp(SDVariable a) {
    return sd.math.exp(a);
  }

  @Override
  public SDVariable relu(SDVariable a) {
    return sd.nn.relu(a, 0.0);
  }

  @Override
  public SDVariable square(SDVariable a) {
    return sd.math.square(a);
  }

  @Override
  public SDVariable abs(SDVariable a) {
    return sd.math.abs(a);
  }

  @Override
  public SDVariable log1p(SDVariable a) {
    return sd.math.log1p(a);
  }

  @Override
  public SDVariable sigmoid(SDVariable a) {
    return sd.nn.sigmoid(a);
  }

  @Override
  public SDVariable sum(SDVariable a) {
    return a.sum();
  }

  @Override
  public SDVariable sortAscending(SDVariable a) {
    throw new UnsupportedOperationException(
        "the AOT losses sort over the batch, which has no differentiable SameDiff form; use the ND4J form");
  }

  @Override
  public SDVariable zerosLike(SDVariable like) {
    return sd.zerosLike(like);
  }
}
