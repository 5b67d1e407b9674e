package org.align4j.core.model.internal;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J workspaces the model's passes allocate their temporaries in. A pass of a transformer creates dozens of
 * large arrays; allocated one by one off-heap (and freed only when the garbage collector notices them) they cost
 * more than the arithmetic. In a workspace they come from one block of the calling thread, sized by the first
 * pass, grown when a larger pass needs it, and reused by every later pass: arrays created inside a scope are valid
 * only until it closes, so callers copy out (or {@code detach()}) what they keep.
 */
public final class Workspaces {

  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0).overallocationLimit(0.05)
      .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
      .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE).build();

  private Workspaces() {}

  /** Opens (activates) the calling thread's workspace {@code id}; close it to end the scope. */
  public static MemoryWorkspace open(String id) {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
  }
}
