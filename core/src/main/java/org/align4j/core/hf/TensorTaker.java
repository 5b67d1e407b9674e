package org.align4j.core.hf;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.align4j.core.checkpoint.CheckpointException;

/**
 * Takes a checkpoint's tensors one by one, checking each one's shape against what the configuration implies, and
 * at the end fails on any tensor nobody took (a part of the model align4j would otherwise silently drop).
 */
final class TensorTaker {

  private final SafeTensorsFolder tensors;
  private final String where;
  private final Predicate<String> ignorable;
  private final Set<String> taken = new HashSet<>();

  TensorTaker(SafeTensorsFolder tensors, String where, Predicate<String> ignorable) {
    this.tensors = tensors;
    this.where = where;
    this.ignorable = ignorable;
  }

  boolean has(String name) {
    return tensors.contains(name);
  }

  /** Marks {@code name} as deliberately unused (a tied copy). */
  void skip(String name) {
    taken.add(name);
  }

  /** The values of {@code name}, which must have shape {@code shape}. */
  float[] take(String name, long... shape) {
    if (!tensors.contains(name)) {
      throw new CheckpointException(where, "has no tensor " + name + " (config.json implies one of shape "
          + Arrays.toString(shape) + ")");
    }
    Tensor t = tensors.tensor(name);
    if (!Arrays.equals(t.shape(), shape)) {
      throw new CheckpointException(where, "tensor " + name + " has shape " + Arrays.toString(t.shape())
          + " but config.json implies " + Arrays.toString(shape));
    }
    taken.add(name);
    return t.toFloats();
  }

  /** The values of an {@code nn.Linear} weight {@code name} of shape [out, in], transposed to [in, out]. */
  float[] takeLinear(String name, int out, int in) {
    return transpose(take(name, out, in), out, in);
  }

  /** Fails when a tensor was neither taken nor ignorable. */
  void finish() {
    Set<String> left = new TreeSet<>(tensors.names());
    left.removeAll(taken);
    left.removeIf(ignorable);
    if (!left.isEmpty()) {
      throw new CheckpointException(where, "has tensors align4j does not know for this architecture: "
          + (left.size() > 5 ? left.stream().limit(5).toList() + " and " + (left.size() - 5) + " more" : left));
    }
  }

  /** The transpose of a [rows, cols] row-major matrix. */
  static float[] transpose(float[] a, int rows, int cols) {
    float[] out = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = a[r * cols + c];
      }
    }
    return out;
  }
}
