package org.align4j.core.model.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.align4j.core.util.OpenMpWaitPolicy;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scopes that run matrix products on one BLAS thread: inference always, training passes when that is faster.
 *
 * <p>Inference ({@link #single}), for speed and for repeatable results. Speed: OpenBLAS splits even a 64 x 256 x
 * 256 product over its threads, and for products that small the hand-over costs more than the arithmetic: cached
 * generation at batch 64 with the d_model 256, 4-layer model took 4.6 to 7.6 s with two BLAS threads and 3.0 to
 * 3.5 s with one (2 cores). Parallelism comes from Java threads instead (rows of a cached step, an audit's worker
 * threads). Repeatability: OpenBLAS 0.3.19's sgemm rounds differently with one thread and with two (measured: most
 * [768, 16] x [16, 259] products differ in the last bit). The BLAS thread count is process-wide, so when only
 * cached steps lowered it, a scoring pass of one audit thread that overlapped another thread's generation ran on
 * one thread or on two by timing, and the same seed gave membership scores (and AUCs) that differed between runs.
 * Every inference pass of {@code TransformerLm} therefore runs inside a scope.
 *
 * <p>Training ({@link #forTraining}): ND4J's OpenMP threads spin after each parallel region unless the process was
 * started with {@code OMP_WAIT_POLICY=PASSIVE}, and they then compete with OpenBLAS's threads for the cores. On 2
 * cores, a hand-written training pass with two BLAS threads took 2-3x as long as with one for a d_model 64 model
 * (16 x 32 tokens: 88-111 ms against 36-39 ms) and still 1.2-1.3x for d_model 256, 16 x 256 tokens (1.79-1.96 s
 * against 1.47 s). With {@code OMP_WAIT_POLICY=PASSIVE} two threads win from about 2^27 multiply-adds in the
 * largest product (d_model 256, 16 x 256 tokens: 0.93-0.96 s against 1.39-1.44 s) and lose below 2^26 (the d_model
 * 64 pass: 62 ms against 29-34 ms). So a training pass runs on one BLAS thread unless the wait policy is passive
 * and its largest product is large.
 *
 * <p>The first of concurrent callers lowers the count to one and the last restores the previous count, so
 * overlapping scopes from several threads are safe. Other BLAS work in the process runs single-threaded meanwhile:
 * slower, and rounded as with one thread.
 */
public final class BlasThreads {

  /** Multiply-adds of a pass's largest product from which two BLAS threads pay, with passive OpenMP waiting. */
  static final long PARALLEL_MACS = 1L << 26;

  private static final Logger LOG = LoggerFactory.getLogger(BlasThreads.class);
  private static final boolean PASSIVE = OpenMpWaitPolicy.passive();
  private static final AtomicBoolean HINTED = new AtomicBoolean();
  private static final Object LOCK = new Object();
  private static int active;
  private static int saved;

  private BlasThreads() {}

  /** The value of {@code work}, computed with BLAS limited to one thread. */
  public static <T> T single(Supplier<T> work) {
    synchronized (LOCK) {
      if (active++ == 0) {
        saved = Nd4j.factory().blas().getMaxThreads();
        if (saved != 1) { // setting the count costs about 0.5 ms: only when it changes
          Nd4j.factory().blas().setMaxThreads(1);
        }
      }
    }
    try {
      return work.get();
    } finally {
      synchronized (LOCK) {
        if (--active == 0 && saved != 1) {
          Nd4j.factory().blas().setMaxThreads(saved);
        }
      }
    }
  }

  /**
   * The value of {@code work}, a training pass whose largest matrix product takes {@code macs} multiply-adds, on
   * one BLAS thread unless OpenMP's threads wait passively ({@link OpenMpWaitPolicy}) and {@code macs} is at
   * least {@link #PARALLEL_MACS}. The first large pass without the passive policy logs, once, that setting it
   * would let two threads pay.
   */
  public static <T> T forTraining(long macs, Supplier<T> work) {
    if (!PASSIVE && macs >= PARALLEL_MACS && HINTED.compareAndSet(false, true)) {
      LOG.info("training on one BLAS thread: OpenMP's threads spin (ND4J loaded before align4j could set its wait "
          + "policy, or OMP_WAIT_POLICY says so); start the JVM with OMP_WAIT_POLICY=PASSIVE to let this model's "
          + "products use more (1.2-1.5x faster for d_model 256 on 2 cores)");
    }
    return singleForTraining(PASSIVE, macs) ? single(work) : work.get();
  }

  /** Whether a training pass of {@code macs} runs on one BLAS thread under the given wait policy. */
  static boolean singleForTraining(boolean passiveWait, long macs) {
    return !passiveWait || macs < PARALLEL_MACS;
  }
}
