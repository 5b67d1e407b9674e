package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class Nd4jBackendTest {

  @Test
  void withoutJavacppTheMessageNamesTheMissingClassAndTheDependencyToAdd() {
    Optional<String> problem = Nd4jBackend.problem(name -> !name.startsWith("org.bytedeco"));
    assertThat(problem).hasValueSatisfying(m -> assertThat(m)
        .contains("ND4J backend", "org.bytedeco.javacpp.Loader", "org.nd4j:nd4j-native:1.0.0-M2.1",
            "org.bytedeco:openblas", "README"));
  }

  @Test
  void withoutAnyBackendTheMessageNamesTheCpuBackend() {
    Optional<String> problem = Nd4jBackend.problem(name -> !name.startsWith("org.nd4j.linalg"));
    assertThat(problem).hasValueSatisfying(m -> assertThat(m)
        .contains("org.nd4j.linalg.cpu.nativecpu.CpuBackend not found", "nd4j-cuda-11.6"));
  }

  @Test
  void eitherBackendWithJavacppIsEnough() {
    assertThat(Nd4jBackend.problem(name -> true)).isEmpty();
    assertThat(Nd4jBackend.problem(name -> !name.contains("nativecpu"))).isEmpty();
  }

  @Test
  void theTestClassPathHasABackend() {
    assertThatCode(Nd4jBackend::require).doesNotThrowAnyException();
  }
}
