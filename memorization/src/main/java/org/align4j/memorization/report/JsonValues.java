package org.align4j.memorization.report;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalises free-form values (metadata, provenance configurations) to the types JSON reading gives back, so a
 * report equals itself after a JSON round trip: integral numbers become {@code Integer} (or {@code Long} when
 * they do not fit), other numbers {@code Double}, maps and lists are copied recursively, strings and booleans are
 * kept, anything else becomes its {@code toString()}.
 */
public final class JsonValues {

  private JsonValues() {}

  /** The normalised form of {@code value} (null stays null). */
  public static Object normalize(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).intValue();
    }
    if (value instanceof Long l) {
      return l == l.intValue() ? (Object) l.intValue() : l;
    }
    if (value instanceof BigInteger b) {
      return b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      return normalizeMap(map);
    }
    if (value instanceof Iterable<?> items) {
      List<Object> out = new ArrayList<>();
      for (Object item : items) {
        out.add(normalize(item));
      }
      return List.copyOf(out.stream().map(x -> x == null ? "null" : x).toList());
    }
    return value.toString();
  }

  /** A normalised, immutable copy of a string-keyed map (null values dropped). */
  public static Map<String, Object> normalizeMap(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (map != null) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = normalize(e.getValue());
        if (v != null) {
          out.put(String.valueOf(e.getKey()), v);
        }
      }
    }
    return Map.copyOf(out);
  }
}
