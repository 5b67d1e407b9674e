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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files and directories atomically: the content goes to a temporary sibling first and is then moved over
 * the target, so a crash leaves either the old file or the new one, never half of one.
 *
 * <p>Temporaries are hidden siblings named {@code .<name>.align4j-tmp-<pid>-<n>}, where {@code pid} is the writing
 * process. A process killed mid-write (SIGKILL, power loss) cannot delete its temporary; the next write to the same
 * target removes every such leftover whose process is no longer running.
 */
public final class AtomicFiles {

  private static final String TEMP_MARK = ".align4j-tmp-";
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicLong COUNTER = new AtomicLong();

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
      removeStaleTemporaries(absolute);
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
      removeStaleTemporaries(absolute);
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
   * A fresh hidden name beside {@code target}, {@code .<name>.align4j-tmp-<pid>-<n>}. Files and directories are
   * then created with the default permissions (the process's umask), not the owner-only permissions of
   * {@code Files.createTempFile}.
   */
  static Path tempSibling(Path target) {
    return target.resolveSibling(tempPrefix(target) + PID + "-" + COUNTER.incrementAndGet());
  }

  private static String tempPrefix(Path target) {
    return "." + target.getFileName() + TEMP_MARK;
  }

  /**
   * Deletes the temporaries of {@code target} left by processes that are no longer running (killed mid-write).
   * Those of running processes, this one included, are kept: they may still be in use.
   */
  static void removeStaleTemporaries(Path target) throws IOException {
    Pattern ours = Pattern.compile(Pattern.quote(tempPrefix(target)) + "(\\d{1,19})-\\d+");
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      siblings.filter(p -> isStale(ours.matcher(p.getFileName().toString()))).forEach(AtomicFiles::deleteQuietly);
    }
  }

  private static boolean isStale(Matcher name) {
    if (!name.matches()) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(name.group(1));
    } catch (NumberFormatException e) {
      return false;
    }
    return pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
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
