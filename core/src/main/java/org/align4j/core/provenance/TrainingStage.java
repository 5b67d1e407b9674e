package org.align4j.core.provenance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.align4j.core.privacy.PrivacySettings;

/**
 * One stage of a model's history, as its trainer recorded it: immutable.
 *
 * @param kind what the stage did, lower case: {@code sft}, {@code reward}, {@code dpo}, {@code ipo}, {@code ppo},
 *     {@code grpo}, {@code rloo}, ... ({@code legacy} for the one stage read from a checkpoint saved before
 *     histories existed)
 * @param dataName the training data's name
 * @param dataFingerprint the data's {@link org.align4j.core.data.DataFingerprint}, or {@code ""} when unknown
 * @param settings the trainer's settings, each as a string (nested settings under dotted keys), sorted by key
 * @param steps the optimisation steps the stage took
 * @param seed the seed of the stage's random choices
 * @param libraryVersion the align4j version that ran it
 * @param createdAt ISO-8601 instant at which it finished
 * @param privacy the stage's differential-privacy guarantee; empty for a non-private stage
 */
public record TrainingStage(
    String kind, String dataName, String dataFingerprint, Map<String, String> settings, long steps, long seed,
    String libraryVersion, String createdAt, Optional<PrivacySpent> privacy) {

  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]*");

  /** Validates and copies. */
  public TrainingStage {
    Objects.requireNonNull(kind, "kind");
    if (!KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("stage kind must be lower-case letters, digits, - or _, got \"" + kind + "\"");
    }
    Objects.requireNonNull(dataName, "dataName");
    Objects.requireNonNull(dataFingerprint, "dataFingerprint");
    settings = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(settings, "settings")));
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(privacy, "privacy");
  }

  /**
   * A non-private stage that finishes now, run by this library version.
   *
   * @param settings the trainer's configuration record, recorded by {@link #settingsOf}
   */
  public static TrainingStage of(
      String kind, String dataName, String dataFingerprint, Record settings, long steps, long seed) {
    return of(kind, dataName, dataFingerprint, settingsOf(settings), steps, seed);
  }

  /** A non-private stage that finishes now, run by this library version, with settings given as strings. */
  public static TrainingStage of(
      String kind, String dataName, String dataFingerprint, Map<String, String> settings, long steps, long seed) {
    return new TrainingStage(kind, dataName, dataFingerprint, settings, steps, seed, LibraryVersion.get(),
        Instant.now().toString(), Optional.empty());
  }

  /** This stage with its privacy guarantee. */
  public TrainingStage withPrivacy(PrivacySpent spent) {
    return new TrainingStage(kind, dataName, dataFingerprint, settings, steps, seed, libraryVersion, createdAt,
        Optional.of(spent));
  }

  /** Whether the stage trained with differential privacy. */
  public boolean isPrivate() {
    return privacy.isPresent();
  }

  /**
   * A configuration record's components as strings: nested records under {@code outer.inner} keys, empty optionals
   * and privacy settings that ask for no privacy left out, enums by name, everything else by its {@code toString}
   * (by its type where it has none of its own).
   */
  public static Map<String, String> settingsOf(Record settings) {
    Map<String, String> out = new TreeMap<>();
    put(out, "", Objects.requireNonNull(settings, "settings"));
    return out;
  }

  private static void put(Map<String, String> out, String prefix, Record r) {
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      Object value;
      try {
        c.getAccessor().setAccessible(true);
        value = c.getAccessor().invoke(r);
      } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
        throw new IllegalArgumentException("cannot read setting " + prefix + c.getName() + " of " + r.getClass(), e);
      }
      String key = prefix + c.getName();
      if (value instanceof PrivacySettings p && !p.enabled()) {
        continue;
      }
      if (value instanceof Record nested) {
        put(out, key + ".", nested);
      } else if (value instanceof Optional<?> o) {
        o.ifPresent(v -> out.put(key, String.valueOf(v)));
      } else if (value instanceof OptionalDouble o) {
        o.ifPresent(v -> out.put(key, String.valueOf(v)));
      } else if (value instanceof OptionalInt o) {
        o.ifPresent(v -> out.put(key, String.valueOf(v)));
      } else if (value instanceof OptionalLong o) {
        o.ifPresent(v -> out.put(key, String.valueOf(v)));
      } else if (value instanceof Enum<?> e) {
        out.put(key, e.name());
      } else {
        out.put(key, describe(value));
      }
    }
  }

  /** A value by its {@code toString}, or, where it has none of its own (a function), by its type. */
  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    try {
      if (value.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
        return value.toString();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    return value.getClass().isSynthetic() ? "(function)" : "(" + value.getClass().getSimpleName() + ")";
  }
}
