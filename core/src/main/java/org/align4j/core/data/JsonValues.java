package org.align4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts Jackson trees into plain immutable Java values for example metadata. */
final class JsonValues {

  private JsonValues() {}

  /**
   * The Java value of a JSON node: String, Boolean, a Number (Integer, Long, BigInteger, Double or BigDecimal as
   * Jackson reads it), an unmodifiable List, an unmodifiable Map with insertion order, or null for JSON null.
   */
  static Object toJava(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(element -> list.add(toJava(element)));
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
      return Collections.unmodifiableMap(map);
    }
    return null;
  }
}
