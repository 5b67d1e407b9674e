package org.align4j.core.checkpoint;

/**
 * A checkpoint that cannot be loaded: missing, corrupt, truncated, of another format or version, or whose parts
 * do not agree (a tokenizer of another vocabulary). The message names the checkpoint and the problem.
 */
public class CheckpointException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A problem with the checkpoint at {@code location}. */
  public CheckpointException(String location, String problem) {
    super("checkpoint " + location + ": " + problem);
  }

  /** A problem with a cause. */
  public CheckpointException(String location, String problem, Throwable cause) {
    super("checkpoint " + location + ": " + problem, cause);
  }
}
