package org.align4j.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Streams over an open resource that release it when closed or when their iterator is exhausted. */
final class ClosingStreams {

  private ClosingStreams() {}

  /**
   * A sequential, ordered stream of the elements of {@code source} that closes {@code resource} on
   * {@link Stream#close()} and as soon as the elements run out (closing twice is harmless).
   */
  static <T> Stream<T> of(Iterator<T> source, Closeable resource) {
    Closer closer = new Closer(resource);
    Iterator<T> closing = new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (closer.closed) {
          return false;
        }
        boolean more;
        try {
          more = source.hasNext();
        } catch (RuntimeException e) {
          closer.close();
          throw e;
        }
        if (!more) {
          closer.close();
        }
        return more;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return source.next();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(closing, Spliterator.ORDERED), false)
        .onClose(closer::close);
  }

  private static final class Closer {
    private final Closeable resource;
    private boolean closed;

    Closer(Closeable resource) {
      this.resource = resource;
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        resource.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
