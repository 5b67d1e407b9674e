package org.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny Hugging Face checkpoints and reference outputs written by {@code tools/hf_reference.py}. */
public final class HfFixtures {

  private HfFixtures() {}

  /** The folder of the test resources' {@code hf/} directory. */
  public static Path root() {
    try {
      return Path.of(HfFixtures.class.getResource("/hf/gpt2/config.json").toURI()).getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
