package org.align4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OpenMP's wait policy as OpenMP itself reports it (libgomp's spin count, which {@code OMP_DISPLAY_ENV=verbose}
 * prints: 0 when its threads wait passively) in fresh JVMs that load ND4J after
 * {@link Nd4jBackend#require}, with and without the opt-out property, and the check of the memory map.
 */
class OpenMpWaitPolicyTest {

  @Test
  void ompLoadsPassiveAfterRequire() throws Exception {
    String shown = openMpSettings(List.of());
    assertThat(shown).contains("GOMP_SPINCOUNT = '0'").contains("policy passive=true");
  }

  @Test
  void thePropertyLeavesTheEnvironmentAlone() throws Exception {
    String shown = openMpSettings(List.of("-D" + OpenMpWaitPolicy.PROPERTY + "=false"));
    assertThat(shown).contains("GOMP_SPINCOUNT = ").doesNotContain("GOMP_SPINCOUNT = '0'")
        .contains("policy passive=false");
  }

  @Test
  void memoryMapsNameTheRuntime(@TempDir Path dir) throws IOException {
    Path with = Files.writeString(dir.resolve("with"), "7f00-7f01 r-xp 0 08:01 12 /tmp/cache/libgomp.so.1\n");
    Path without = Files.writeString(dir.resolve("without"), "7f00-7f01 r-xp 0 08:01 12 /usr/lib/libc.so.6\n");
    assertThat(OpenMpWaitPolicy.openMpLoaded(with)).isTrue();
    assertThat(OpenMpWaitPolicy.openMpLoaded(without)).isFalse();
    assertThat(OpenMpWaitPolicy.openMpLoaded(dir.resolve("missing"))).isTrue();
  }

  /** What a fresh JVM running {@link Probe} prints, OpenMP's settings included, with no wait policy given. */
  private static String openMpSettings(List<String> jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove(OpenMpWaitPolicy.VARIABLE);
    builder.environment().put("OMP_DISPLAY_ENV", "verbose");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(output, StandardCharsets.UTF_8);
  }

  /** Loads ND4J the way the library does and prints the policy it recorded. */
  static final class Probe {
    public static void main(String[] args) {
      Nd4jBackend.require();
      Nd4j.create(1).addi(1);
      System.out.println("policy passive=" + OpenMpWaitPolicy.passive());
    }
  }
}
