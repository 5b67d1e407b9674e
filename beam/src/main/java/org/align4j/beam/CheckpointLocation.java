package org.align4j.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.Function;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a checkpoint lives: a local path (directory or {@code .zip}, readable on every worker) or a URI of a
 * file system Beam knows ({@code gs://}, {@code hdfs://}, {@code s3://}, ... with that file system's module on
 * the class path), which must name one {@code .zip} file. {@link #check} fails before any work starts;
 * {@link #load} copies a remote file to a local temporary file and loads it there.
 */
final class CheckpointLocation implements Serializable {

  private static final long serialVersionUID = 1L;
  private final String uri;

  CheckpointLocation(String uri) {
    this.uri = Objects.requireNonNull(uri, "checkpoint");
  }

  String uri() {
    return uri;
  }

  private boolean isLocal() {
    int scheme = uri.indexOf("://");
    return scheme < 0 || uri.startsWith("file://");
  }

  private Path localPath() {
    return Path.of(uri.startsWith("file://") ? uri.substring("file://".length()) : uri);
  }

  /**
   * Checks that the checkpoint can be read (registering {@code options}' file systems first).
   *
   * @throws IllegalArgumentException naming the URI when it cannot be read
   */
  void check(PipelineOptions options) {
    if (isLocal()) {
      Path path = localPath();
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("cannot read checkpoint " + uri + ": no such file or directory");
      }
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("cannot read checkpoint " + uri + ": permission denied");
      }
      return;
    }
    FileSystems.setDefaultPipelineOptions(options);
    int first;
    try (InputStream in = Channels.newInputStream(FileSystems.open(match().resourceId()))) {
      first = in.read();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read checkpoint " + uri + ": " + e.getMessage(), e);
    }
    if (first < 0) {
      throw new IllegalArgumentException("cannot read checkpoint " + uri + ": the file is empty");
    }
  }

  /** Loads the checkpoint with {@code loader}, from a local copy when it is remote. */
  <T> T load(Function<Path, T> loader) {
    if (isLocal()) {
      return loader.apply(localPath());
    }
    Path temp = null;
    try {
      temp = Files.createTempFile("align4j-checkpoint", ".zip");
      try (InputStream in = Channels.newInputStream(FileSystems.open(match().resourceId()))) {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      }
      return loader.apply(temp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + uri + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // A temporary file left behind is harmless.
        }
      }
    }
  }

  private MatchResult.Metadata match() throws IOException {
    return FileSystems.matchSingleFileSpec(uri);
  }
}
