package org.align4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes files and directories atomically: the content goes to a temporary sibling first and is then moved over
 * the target, so a crash leaves either the old file or the new one, never half of one.
 */
public final class AtomicFiles {

  /** Writes the bytes of one file. */
  @FunctionalInterface
  public interface StreamWriter {
    /** Writes the whole content to {@code out}. */
    void write(OutputStream out) throws IOException;
  }

  /** Fills a fresh directory. */
  @FunctionalInterface
  public interface DirectoryWriter {
    /** Writes the whole content under {@code directory}, which exists and is empty. */
    void write(Path directory) throws IOException;
  }

  private AtomicFiles() {}

  /** Atomically writes {@code text} as UTF-8 to {@code target}. */
  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Atomically writes {@code bytes} to {@code target}. */
  public static void writeBytes(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /**
   * Atomically writes the output of {@code writer} to {@code target}, creating missing parent directories.
   *
   * @throws UncheckedIOException when writing or moving fails; the target is then unchanged
   */
  public static void write(Path target, StreamWriter writer) {
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent();
    Path temp = null;
    try {
      Files.createDirectories(parent);
      temp = tempSibling(absolute);
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        writer.write(out);
      }
      move(temp, absolute);
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /**
   * Atomically replaces the directory {@code target} with one filled by {@code writer}: the content is written to
   * a temporary sibling directory, any old target is moved aside, the new one moved in, and the old one deleted.
   */
  public static void writeDirectory(Path target, DirectoryWriter writer) {
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent();
    Path temp = null;
    Path old = null;
    try {
      Files.createDirectories(parent);
      temp = Files.createDirectory(tempSibling(absolute));
      writer.write(temp);
      if (Files.exists(absolute)) {
        old = tempSibling(absolute);
        move(absolute, old);
      }
      move(temp, absolute);
      temp = null;
    } catch (IOException e) {
      if (old != null && !Files.exists(absolute)) {
        try {
          move(old, absolute);
          old = null;
        } catch (IOException restore) {
          e.addSuppressed(restore);
        }
      }
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temp);
      deleteQuietly(old);
    }
  }

  /**
   * A fresh hidden name beside {@code target}. Files and directories are then created with the default permissions
   * (the process's umask), not the owner-only permissions of {@code Files.createTempFile}.
   */
  private static Path tempSibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a leftover hidden temp file is harmless
    }
  }
}
