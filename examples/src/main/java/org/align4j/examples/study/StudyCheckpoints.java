package org.align4j.examples.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.align4j.core.io.AtomicFiles;

/**
 * The checkpoints of a study's stages under {@code <output>/checkpoints}: each stage's model is saved atomically
 * as soon as it is trained, beside {@code study-config.json}, the settings that made them. With resume, a stage
 * whose checkpoint exists is loaded instead of trained, provided the settings match.
 */
final class StudyCheckpoints {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final boolean resume;
  private final PrintStream progress;
  private final List<StageTiming> timings = new ArrayList<>();

  StudyCheckpoints(RlhfMemorizationConfig c, PrintStream progress) {
    this.dir = c.outputDir().resolve("checkpoints");
    this.resume = c.resume();
    this.progress = progress;
    Path settings = dir.resolve("study-config.json");
    String expected = json(c.fingerprint());
    if (resume && Files.isRegularFile(settings)) {
      String found = read(settings);
      if (!sameJson(found, expected)) {
        throw new IllegalArgumentException("--resume: the checkpoints in " + dir + " were made with other "
            + "settings (" + found.replace('\n', ' ') + "); rerun with those settings or without --resume");
      }
    } else if (resume) {
      progress.println("--resume: no checkpoints in " + dir + "; starting from the first stage");
    } else {
      removeStages(dir);
    }
    AtomicFiles.writeString(settings, expected);
  }

  /** The timings of the stages run or loaded so far. */
  List<StageTiming> timings() {
    return List.copyOf(timings);
  }

  /** Records the time of a stage that is not checkpointed (the audits). */
  void timed(String stage, double seconds) {
    timings.add(new StageTiming(stage, seconds, false));
  }

  /**
   * Loads stage {@code name} from its checkpoint (with resume, when present), or trains it, saves it atomically
   * and records its time.
   */
  <T> T stage(String name, Supplier<T> train, Function<Path, T> load, SaveFunction<T> save) {
    Path path = dir.resolve(name);
    if (resume && Files.isDirectory(path)) {
      T model = load.apply(path);
      timings.add(new StageTiming(name, 0, true));
      progress.println("[" + name + "] loaded from " + path + " (--resume)");
      return model;
    }
    progress.println("[" + name + "] training");
    long start = System.nanoTime();
    T model = train.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    save.save(model, path);
    timings.add(new StageTiming(name, seconds, false));
    progress.printf(java.util.Locale.ROOT, "[%s] done in %.1f s; checkpoint %s (an interrupted run continues "
        + "with --resume)%n", name, seconds, path);
    return model;
  }

  /** Saves a stage's model to a path. */
  @FunctionalInterface
  interface SaveFunction<T> {
    void save(T model, Path path);
  }

  /** Removes the stage checkpoints of an earlier run (they may have been made with other settings). */
  private static void removeStages(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
      for (Path stage : entries.filter(Files::isDirectory).toList()) {
        try (java.util.stream.Stream<Path> tree = Files.walk(stage)) {
          for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the old checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String json(Map<String, Object> m) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean sameJson(String a, String b) {
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
