package org.align4j.memorization;

/**
 * Cancels a running scan from another thread: the scan stops at its next batch boundary and throws a
 * {@link java.util.concurrent.CancellationException}. Interrupting the scanning thread has the same effect.
 */
public final class CancellationToken {

  private volatile boolean cancelled;

  /** Asks the scans watching this token to stop. */
  public void cancel() {
    cancelled = true;
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled;
  }
}
