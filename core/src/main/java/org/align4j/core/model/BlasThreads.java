package org.align4j.core.model;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs inference's matrix products on one BLAS thread, for speed and for repeatable results.
 *
 * <p>Speed: OpenBLAS splits even a 64 x 256 x 256 product over its threads, and for products that small the
 * hand-over costs more than the arithmetic: cached generation at batch 64 with the d_model 256, 4-layer model took
 * 4.6 to 7.6 s with two BLAS threads and 3.0 to 3.5 s with one (2 cores). Parallelism comes from Java threads
 * instead (rows of a cached step, an audit's worker threads).
 *
 * <p>Repeatability: OpenBLAS 0.3.19's sgemm rounds differently with one thread and with two (measured: most
 * [768, 16] x [16, 259] products differ in the last bit). The BLAS thread count is process-wide, so when only
 * cached steps lowered it, a scoring pass of one audit thread that overlapped another thread's generation ran
 * on one thread or on two by timing, and the same seed gave membership scores (and AUCs) that differed between
 * runs. Every inference pass of {@link TransformerLm} therefore runs inside a scope.
 *
 * <p>The first of concurrent callers lowers the count to one and the last restores the previous count, so
 * overlapping scopes from several threads are safe. Other BLAS work in the process (training) runs
 * single-threaded meanwhile: slower, and rounded as with one thread.
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
