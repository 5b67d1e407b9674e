package org.align4j.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the files a command reads, each failing with one line that names the option and the problem. */
final class InputFiles {

  private InputFiles() {}

  /**
   * Requires {@code path} (given with {@code what}, e.g. "--data" or "FILE") to be a readable regular file.
   *
   * @throws IllegalArgumentException saying whether it is missing, a directory or unreadable
   */
  static Path requireFile(String what, Path path) {
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(what + " " + path + " is a directory; give a file");
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(what + " " + path + ": no such file");
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(what + " " + path + " is not a regular file");
    }
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(what + " " + path + ": permission denied");
    }
    return path;
  }
}
