package org.align4j.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A deterministic Beam coder of align4j's records ({@code TextExample}, {@code Finding}, {@link AuditSummary},
 * {@link RewardRequest}, ...) as one line of JSON: components by name, map keys sorted, so equal values encode to
 * equal bytes. Decoding gives back an equal record where the record normalises its values as JSON reading does
 * ({@code Finding}'s metadata does).
 *
 * @param <T> the record type
 */
public final class JsonCoder<T> extends CustomCoder<T> {

  private static final long serialVersionUID = 1L;
  private final Class<T> type;

  private JsonCoder(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  /** The coder of {@code type}'s values. */
  public static <T> JsonCoder<T> of(Class<T> type) {
    return new JsonCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(Json.write(Objects.requireNonNull(value, "value")), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    return Json.read(StringUtf8Coder.of().decode(in), type, "encoded " + type.getSimpleName());
  }

  @Override
  public void verifyDeterministic() {
    // Field order is fixed by the record and map keys are sorted: equal values give equal bytes.
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonCoder<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
