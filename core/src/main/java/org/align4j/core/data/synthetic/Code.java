package org.align4j.core.data.synthetic;

/** Accumulates lines of generated code. */
final class Code {

  private final StringBuilder text = new StringBuilder(512);

  /** Appends the concatenation of {@code parts} and a newline. */
  Code line(Object... parts) {
    for (Object part : parts) {
      text.append(part);
    }
    text.append('\n');
    return this;
  }

  /** Appends {@code line} followed by a newline when {@code condition} holds. */
  Code lineIf(boolean condition, Object... parts) {
    return condition ? line(parts) : this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
