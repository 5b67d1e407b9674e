package org.align4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClosingStreamsTest {

  @Test
  void closesOnceWhenExhausted() {
    AtomicInteger closed = new AtomicInteger();
    Stream<String> stream = ClosingStreams.of(List.of("a", "b").iterator(), closed::incrementAndGet);
    Iterator<String> it = stream.iterator();
    assertThat(it.next()).isEqualTo("a");
    assertThat(closed).hasValue(0);
    assertThat(it.next()).isEqualTo("b");
    assertThat(it.hasNext()).isFalse();
    assertThat(closed).hasValue(1);
    stream.close();
    assertThat(closed).hasValue(1);
  }

  @Test
  void closesWhenTheStreamIsClosedEarly() {
    AtomicInteger closed = new AtomicInteger();
    try (Stream<String> stream = ClosingStreams.of(List.of("a", "b", "c").iterator(), closed::incrementAndGet)) {
      assertThat(stream.findFirst()).contains("a");
      assertThat(closed).hasValue(0);
    }
    assertThat(closed).hasValue(1);
  }

  @Test
  void closesWhenReadingFails() {
    AtomicInteger closed = new AtomicInteger();
    Iterator<String> failing = new Iterator<>() {
      @Override
      public boolean hasNext() {
        throw new DataFormatException("f", 1, "bad");
      }

      @Override
      public String next() {
        throw new AssertionError();
      }
    };
    assertThatThrownBy(() -> ClosingStreams.of(failing, closed::incrementAndGet).toList())
        .isInstanceOf(DataFormatException.class);
    assertThat(closed).hasValue(1);
  }
}
