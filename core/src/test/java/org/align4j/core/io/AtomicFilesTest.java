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

  @Test
  void temporariesNameTheirTargetAndProcess() {
    Path temp = AtomicFiles.tempSibling(dir.resolve("model"));
    assertThat(temp.getFileName().toString()).matches("\\.model\\.align4j-tmp-" + ProcessHandle.current().pid()
        + "-\\d+");
  }

  @Test
  void nextWriteRemovesTemporariesOfKilledProcessesOnly() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    long deadPid = finished.pid();
    long livePid = ProcessHandle.current().parent().orElseThrow().pid();
    Path target = dir.resolve("model");
    Path staleDir = Files.createDirectories(dir.resolve(".model.align4j-tmp-" + deadPid + "-3/sub"));
    Files.writeString(staleDir.resolve("weights.bin"), "partial");
    Files.writeString(dir.resolve(".model.align4j-tmp-" + deadPid + "-4"), "partial");
    Files.writeString(dir.resolve(".model.align4j-tmp-" + livePid + "-1"), "in use");
    Files.writeString(dir.resolve(".other.align4j-tmp-" + deadPid + "-1"), "another target's");
    Files.writeString(dir.resolve(".model.user-notes"), "not ours");

    AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a.txt"), "a"));

    assertThat(listing()).containsExactlyInAnyOrder("model", ".model.align4j-tmp-" + livePid + "-1",
        ".other.align4j-tmp-" + deadPid + "-1", ".model.user-notes");
    AtomicFiles.writeString(dir.resolve("other"), "x");
    assertThat(listing()).doesNotContain(".other.align4j-tmp-" + deadPid + "-1");
  }
}
