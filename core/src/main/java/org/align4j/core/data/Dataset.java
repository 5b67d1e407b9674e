package org.align4j.core.data;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A streaming source of examples. Each call to {@link #stream()} starts a fresh pass over the data and never
 * requires the whole data set in memory; file-backed data sets read lazily, so close the stream (or exhaust the
 * iterator) when done.
 *
 * @param <T> the example type, usually {@link TextExample} or {@link PreferencePair}
 */
public interface Dataset<T> extends Iterable<T> {

  /** A fresh pass over the examples, in a stable order. Close it to release any open file. */
  Stream<T> stream();

  /** A human-readable name of the source (a file path, "synthetic-code(seed=1)", ...), used in provenance. */
  String name();

  @Override
  default Iterator<T> iterator() {
    return stream().iterator();
  }

  /** Reads every example into an immutable list. */
  default List<T> toList() {
    try (Stream<T> s = stream()) {
      return s.toList();
    }
  }

  /** A lazy view of this data set with {@code mapper} applied to every example. */
  default <R> Dataset<R> map(Function<? super T, ? extends R> mapper) {
    Dataset<T> self = this;
    return new Dataset<>() {
      @Override
      public Stream<R> stream() {
        return self.stream().map(mapper);
      }

      @Override
      public String name() {
        return self.name();
      }
    };
  }

  /** A lazy view of this data set keeping the examples that match {@code predicate}. */
  default Dataset<T> filter(Predicate<? super T> predicate) {
    Dataset<T> self = this;
    return new Dataset<>() {
      @Override
      public Stream<T> stream() {
        return self.stream().filter(predicate);
      }

      @Override
      public String name() {
        return self.name();
      }
    };
  }

  /** An in-memory data set over a copy of {@code items}. */
  static <T> Dataset<T> of(String name, List<? extends T> items) {
    List<T> copy = List.copyOf(items);
    return new Dataset<>() {
      @Override
      public Stream<T> stream() {
        return copy.stream();
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public List<T> toList() {
        return copy;
      }
    };
  }
}
