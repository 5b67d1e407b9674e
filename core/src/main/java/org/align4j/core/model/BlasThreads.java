package org.align4j.core.model;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs small matrix products on one BLAS thread. OpenBLAS splits even a 64 x 256 x 256 product over its threads,
 * and for products that small the hand-over costs more than the arithmetic: cached generation at batch 64 with
 * the d_model 256, 4-layer model took 4.6 to 7.6 s with two BLAS threads and 3.0 to 3.5 s with one (2 cores).
 *
 * <p>The BLAS thread count is process-wide: the first of concurrent callers lowers it to one and the last restores
 * the previous count, so overlapping scopes from several threads (parallel audits) are safe. Work elsewhere in the
 * process runs single-threaded BLAS meanwhile, which changes its speed, never its results.
 */
final class BlasThreads {

  private static final Object LOCK = new Object();
  private static int active;
  private static int saved;

  private BlasThreads() {}

  /** The value of {@code work}, computed with BLAS limited to one thread. */
  static <T> T single(Supplier<T> work) {
    synchronized (LOCK) {
      if (active++ == 0) {
        saved = Nd4j.factory().blas().getMaxThreads();
        Nd4j.factory().blas().setMaxThreads(1);
      }
    }
    try {
      return work.get();
    } finally {
      synchronized (LOCK) {
        if (--active == 0) {
          Nd4j.factory().blas().setMaxThreads(saved);
        }
      }
    }
  }
}
