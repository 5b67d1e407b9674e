package org.align4j.core.hf;

import java.nio.file.Path;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.model.TransformerLm;

/** Loads a model from either kind of path the command line accepts for {@code --model}. */
public final class Models {

  private Models() {}

  /**
   * A Hugging Face model folder (a directory with {@code config.json}, see {@link HfCheckpoints#load}) or an
   * align4j checkpoint (a directory or zip, see {@link Checkpoints#load}).
   *
   * @throws CheckpointException when the path is neither, or cannot be loaded
   */
  public static TransformerLm load(Path path) {
    return HfCheckpoints.isHfFolder(path) ? HfCheckpoints.load(path) : Checkpoints.load(path);
  }
}
