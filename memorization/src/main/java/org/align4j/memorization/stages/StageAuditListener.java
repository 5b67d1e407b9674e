package org.align4j.memorization.stages;

import org.align4j.memorization.ScanProgress;

/** Receives the progress of each scan of a stage audit, from the auditing thread. */
@FunctionalInterface
public interface StageAuditListener {

  /**
   * Called after every batch of a scan and once when it finishes.
   *
   * @param model the scanned model's stage name ({@code "control"} for a control model that is not a stage)
   * @param split the split's name
   * @param progress the scan's progress
   */
  void onProgress(String model, String split, ScanProgress progress);
}
