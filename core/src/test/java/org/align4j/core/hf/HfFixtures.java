package org.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The tiny Hugging Face checkpoints and reference outputs written by {@code tools/hf_reference.py}. */
public final class HfFixtures {

  private HfFixtures() {}

  private static Path root;

  /**
   * The folder of the test resources' {@code hf/} directory; when they are read from a test jar (another module's
   * tests in a packaged build), a copy extracted once to a temporary folder.
   */
  public static synchronized Path root() {
    if (root == null) {
      try {
        URI uri = HfFixtures.class.getResource("/hf/gpt2/config.json").toURI();
        if (uri.getScheme().equals("jar")) {
          try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
            Path source = jar.getPath("/hf");
            Path target = Files.createTempDirectory("align4j-hf-fixtures");
            try (Stream<Path> files = Files.walk(source)) {
              for (Path f : files.toList()) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                  Files.createDirectories(to);
                } else {
                  Files.copy(f, to);
                }
              }
            }
            root = target;
          }
        } else {
          root = Path.of(uri).getParent().getParent();
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** The checkpoint folder of family {@code name} (gpt2, llama, qwen2). */
  public static Path folder(String name) {
    return root().resolve(name);
  }

  /** A JSON file under the resources' {@code hf/} directory. */
  public static JsonNode json(String relative) {
    try {
      return new ObjectMapper().readTree(Files.readString(root().resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON array of ints. */
  public static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
