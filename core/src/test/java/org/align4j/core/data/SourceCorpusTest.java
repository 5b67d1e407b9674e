package org.align4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceCorpusTest {

  @TempDir Path dir;

  private static final Map<String, String> FILES = Map.of(
      "src/b/Main.java", "class Main {}\n",
      "src/a/Util.JAVA", "class Util { /* é */ }\n",
      "tools/run.py", "print('hi')\n",
      "README.md", "# readme\n",
      "z.java", "class Z {}\n");

  @Test
  void readsDirectoryInSortedOrderWithMetadata() throws IOException {
    Path root = dir.resolve("tree");
    for (Map.Entry<String, String> e : FILES.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
    }
    List<TextExample> examples = SourceCorpus.open(root, "java", ".py").toList();
    assertThat(examples).extracting(TextExample::id)
        .containsExactly("src/a/Util.JAVA", "src/b/Main.java", "tools/run.py", "z.java");
    TextExample util = examples.get(0);
    assertThat(util.text()).isEqualTo("class Util { /* é */ }\n");
    assertThat(util.metadata()).containsEntry("extension", "java")
        .containsEntry("source", root.resolve("src/a/Util.JAVA").toString());
    assertThat(SourceCorpus.open(root).toList()).hasSize(5);
    assertThat(SourceCorpus.open(root, "py").toList()).isEqualTo(SourceCorpus.open(root, "py").toList());
  }

  @Test
  void readsZipAndJarArchives() throws IOException {
    for (String name : List.of("code.zip", "lib-1.0-sources.jar")) {
      Path archive = dir.resolve(name);
      writeZip(archive, FILES);
      List<TextExample> examples = SourceCorpus.open(archive, "java").toList();
      assertThat(examples).extracting(TextExample::id).containsExactly("src/a/Util.JAVA", "src/b/Main.java", "z.java");
      assertThat(examples.get(1).text()).isEqualTo("class Main {}\n");
      assertThat(examples.get(1).metadata()).containsEntry("source", archive + "!/src/b/Main.java");
    }
  }

  @Test
  void undecodableFileIsNamed() throws IOException {
    Path root = dir.resolve("bad");
    Files.createDirectories(root);
    Files.write(root.resolve("Bin.java"), new byte[] {'a', (byte) 0xFF, (byte) 0xFE});
    assertThatThrownBy(() -> SourceCorpus.open(root, "java").toList())
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("Bin.java")
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void rejectsWhatIsNotACorpus() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "just text");
    assertThatThrownBy(() -> SourceCorpus.open(text, "java"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a zip or jar");
    assertThatThrownBy(() -> SourceCorpus.open(dir.resolve("missing"), "java"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> SourceCorpus.open(dir, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extensions");
  }

  private static void writeZip(Path path, Map<String, String> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("src/"));
      zip.closeEntry();
      for (Map.Entry<String, String> e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }
}
