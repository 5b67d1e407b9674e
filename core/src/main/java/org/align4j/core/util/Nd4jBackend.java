package org.align4j.core.util;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Prepares the first use of ND4J: sets OpenMP's wait policy while that can still be chosen
 * ({@link OpenMpWaitPolicy}) and checks that a backend is on the class path. The library modules compile against
 * {@code nd4j-api} only; without a backend ND4J fails deep inside with a {@code NoClassDefFoundError}. This turns
 * that into one message naming the dependencies to add.
 */
public final class Nd4jBackend {

  /** Classes every backend needs (JavaCPP, which the backends bring). */
  private static final String[] RUNTIME = {"org.bytedeco.javacpp.Loader", "org.bytedeco.javacpp.indexer.Indexer"};
  /** The backends, any one of which will do: CPU, CUDA. */
  private static final String[] BACKENDS = {
    "org.nd4j.linalg.cpu.nativecpu.CpuBackend", "org.nd4j.linalg.jcublas.JCublasBackend"};

  private static volatile boolean present;

  private Nd4jBackend() {}

  /**
   * Returns when an ND4J backend is on the class path (checked once).
   *
   * @throws IllegalStateException naming the missing class and the dependencies to add
   */
  public static void require() {
    if (present) {
      return;
    }
    OpenMpWaitPolicy.passive();
    Optional<String> problem = problem(Nd4jBackend::loadable);
    if (problem.isPresent()) {
      throw new IllegalStateException(problem.get());
    }
    present = true;
  }

  /** What is missing, given which classes are {@code loadable}; empty when a backend is there. */
  static Optional<String> problem(Predicate<String> loadable) {
    String missing = null;
    if (java.util.Arrays.stream(BACKENDS).noneMatch(loadable)) {
      missing = BACKENDS[0];
    } else {
      for (String name : RUNTIME) {
        if (!loadable.test(name)) {
          missing = name;
          break;
        }
      }
    }
    if (missing == null) {
      return Optional.empty();
    }
    return Optional.of("align4j needs an ND4J backend on the class path, and there is none (class " + missing
        + " not found). Add the CPU backend: org.nd4j:nd4j-native:1.0.0-M2.1, the same artifact with your "
        + "platform's classifier (e.g. linux-x86_64), and org.bytedeco:openblas:0.3.19-1.5.7 with that classifier "
        + "(or org.nd4j:nd4j-native-platform:1.0.0-M2.1 for every platform); for CUDA, "
        + "org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1. See the README, \"Using it as a library\".");
  }

  private static boolean loadable(String name) {
    try {
      Class.forName(name, false, Nd4jBackend.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
