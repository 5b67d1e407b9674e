package org.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void writesAndReplacesFile() throws IOException {
    Path file = dir.resolve("sub/report.json");
    AtomicFiles.writeString(file, "one");
    AtomicFiles.writeString(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(listing()).containsExactly("sub");
  }

  @Test
  void writtenFilesAreReadableByOthersAsWithAPlainWrite() throws IOException {
    Path plain = dir.resolve("plain.txt");
    Files.writeString(plain, "x");
    Path atomic = dir.resolve("atomic.txt");
    AtomicFiles.writeString(atomic, "x");
    assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void failedWriteKeepsOldContentAndLeavesNoTempFile() throws IOException {
    Path file = dir.resolve("checkpoint.bin");
    AtomicFiles.writeString(file, "old");
    assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
      out.write(1);
      throw new IOException("disk full");
    })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk full");
    assertThat(Files.readString(file)).isEqualTo("old");
    assertThat(listing()).containsExactly("checkpoint.bin");
  }

  @Test
  void replacesDirectoryWhole() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a.txt"), "a"));
    AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("b.txt"), "b"));
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("b.txt");
    }
    assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> {
      throw new IOException("crash");
    })).isInstanceOf(UncheckedIOException.class);
    assertThat(Files.readString(target.resolve("b.txt"))).isEqualTo("b");
    assertThat(listing()).containsExactly("model");
  }

  private java.util.List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
