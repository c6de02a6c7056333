package dev.bpfstream.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON out of plain maps, lists and records (Jackson), and text quoted for one-line messages. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON-writable: " + e.getOriginalMessage());
    }
  }

  static String string(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON-writable: " + e.getOriginalMessage());
    }
  }

  /** {@code text} in quotes, cut at 60 characters, control characters escaped: safe in a one-line error. */
  static String quoteForMessage(String text) {
    String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    StringBuilder b = new StringBuilder("'");
    cut.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
    return b.append('\'').toString();
  }
}
