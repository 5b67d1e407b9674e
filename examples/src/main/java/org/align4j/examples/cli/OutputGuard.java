package org.align4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a command's output paths before any work starts. The rule: nothing that align4j did not write is ever
 * deleted or replaced; an existing align4j output of the same kind (a checkpoint for a checkpoint, an audit report
 * for an audit report, ...) is replaced only with {@code --overwrite}. A directory given where a file is written,
 * a file where a directory is written, or a parent that is not a writable directory is refused too. Every refusal
 * is an {@link IllegalArgumentException} naming the option and the path (exit code 2, nothing written).
 */
final class OutputGuard {

  /** The files {@code export} writes into a Hugging Face folder. */
  private static final Pattern HF_EXPORT_FILE = Pattern.compile(
      "config\\.json|tokenizer\\.json|tokenizer_config\\.json|model(-\\d+-of-\\d+)?\\.safetensors"
          + "|model\\.safetensors\\.index\\.json");

  private OutputGuard() {}

  /**
   * Checks the checkpoint path {@code path} of {@code option} (a directory, or a zip file when its name ends in
   * {@code .zip}): absent, or an existing align4j checkpoint of the same form when {@code overwrite}.
   */
  static void checkpoint(String option, Path path, boolean overwrite) {
    parentWritable(option, path);
    if (!Files.exists(path)) {
      return;
    }
    boolean zip = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    if (CheckpointKind.of(path).isEmpty()) {
      throw new IllegalArgumentException(option + " " + path + " exists and is not an align4j checkpoint; "
          + "refusing to replace it (choose a new path)");
    }
    if (zip != Files.isRegularFile(path)) {
      throw new IllegalArgumentException(option + " " + path + " is a checkpoint "
          + (zip ? "directory, but a name ending in .zip writes a zip file" : "zip file, but a name without .zip "
          + "writes a directory") + "; choose another path");
    }
    if (!overwrite) {
      throw new IllegalArgumentException(option + " " + path + " is an existing checkpoint; pass --overwrite to "
          + "replace it");
    }
  }

  /**
   * Checks the file {@code path} of {@code option}: absent, or an existing file that holds {@code kind} when
   * {@code overwrite}.
   */
  static void file(String option, Path path, OwnOutput kind, boolean overwrite) {
    parentWritable(option, path);
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " " + path + " is a directory; give a file name");
    }
    if (!Files.exists(path)) {
      return;
    }
    if (!Files.isRegularFile(path) || !kind.isAt(path)) {
      throw new IllegalArgumentException(option + " " + path + " exists and is not " + kind.title()
          + "; refusing to replace it (choose a new path)");
    }
    if (!overwrite) {
      throw new IllegalArgumentException(option + " " + path + " exists (" + kind.title() + "); pass --overwrite "
          + "to replace it");
    }
  }

  /**
   * Checks the Hugging Face folder {@code path} of {@code option}: absent or empty, or a folder that holds only the
   * files an export writes ({@code config.json}, tokenizer files, safetensors shards and their index) when
   * {@code overwrite}. A folder holding anything else is never replaced.
   */
  static void hfFolder(String option, Path path, boolean overwrite) {
    parentWritable(option, path);
    if (!Files.exists(path)) {
      return;
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " " + path + " is a file; give a directory");
    }
    List<String> names;
    try (Stream<Path> files = Files.list(path)) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + path + ": cannot list the directory (" + e.getMessage()
          + ")", e);
    }
    if (names.isEmpty()) {
      return;
    }
    List<String> foreign = names.stream().filter(n -> !HF_EXPORT_FILE.matcher(n).matches()).toList();
    if (!foreign.isEmpty() || !names.contains("config.json")) {
      throw new IllegalArgumentException(option + " " + path + " exists and is not a Hugging Face model folder "
          + (foreign.isEmpty() ? "(no config.json)" : "(it holds " + foreign.get(0) + ")")
          + "; refusing to replace it (choose a new path)");
    }
    if (!overwrite) {
      throw new IllegalArgumentException(option + " " + path + " is an existing Hugging Face model folder; pass "
          + "--overwrite to replace it");
    }
  }

  /** Checks that {@code path} of {@code option} is a directory or can be created as one. */
  static void directory(String option, Path path) {
    parentWritable(option, path);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new IllegalArgumentException(option + " " + path + " is a file; give a directory");
    }
  }

  /** The nearest existing ancestor of {@code path} must be a writable directory (missing ones are created). */
  private static void parentWritable(String option, Path path) {
    Path ancestor = path.toAbsolutePath().normalize().getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      return;
    }
    if (!Files.isDirectory(ancestor)) {
      throw new IllegalArgumentException(option + " " + path + ": " + ancestor + " is not a directory");
    }
    if (!Files.isWritable(ancestor)) {
      throw new IllegalArgumentException(option + " " + path + ": cannot create files in " + ancestor
          + " (permission denied)");
    }
  }
}
