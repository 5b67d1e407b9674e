package org.align4j.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the reference values computed by the established Python implementations (copied from the project's
 * shared reference folder into core's test resources, under {@code /reference/}). Other modules get them through
 * core's test jar.
 */
public final class ReferenceData {

  private ReferenceData() {}

  /** Opens a reference file, e.g. {@code "dp_epsilon.csv"}; fails loudly when it is missing. */
  public static InputStream open(String name) {
    InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + name);
    if (in == null) {
      throw new IllegalStateException("reference file missing from test resources: " + name);
    }
    return in;
  }

  /** Reads a reference file as UTF-8 text. */
  public static String text(String name) {
    try (InputStream in = open(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
