package dev.bpfstream.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema version the project ever shipped, by 64-bit CRC fingerprint of its parsing canonical
 * form. The versions live in {@code dev/bpfstream/schema/history/<Record>.json} (a JSON array, oldest
 * first) inside this module's jar; {@link SchemaHistory} appends a changed schema, and a test fails
 * the build when the current schema is not recorded there or is incompatible with an earlier one.
 */
public final class SchemaStore implements org.apache.avro.message.SchemaStore {
  static final String HISTORY_DIR = "dev/bpfstream/schema/history/";
  private static final SchemaStore SHIPPED = loadShipped();

  private final Map<Long, Schema> byFingerprint;

  private SchemaStore(Map<Long, Schema> byFingerprint) {
    this.byFingerprint = byFingerprint;
  }

  /** The versions shipped with this build, plus the current schema of each record type. */
  public static SchemaStore shipped() {
    return SHIPPED;
  }

  /** This store plus schemas learnt elsewhere (a newer producer's schema handed to an older reader). */
  public SchemaStore with(Collection<Schema> extra) {
    Map<Long, Schema> m = new ConcurrentHashMap<>(byFingerprint);
    extra.forEach(s -> m.put(fingerprint(s), s));
    return new SchemaStore(m);
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  public Map<Long, Schema> all() {
    return Collections.unmodifiableMap(byFingerprint);
  }

  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The recorded versions of one record type, oldest first; empty when none are recorded. */
  public static List<Schema> history(String recordName) {
    String resource = HISTORY_DIR + recordName + ".json";
    try (InputStream in = SchemaStore.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return List.of();
      }
      return parseHistory(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  static List<Schema> parseHistory(String json) throws IOException {
    JsonNode versions = new ObjectMapper().readTree(json);
    List<Schema> out = new ArrayList<>();
    for (JsonNode v : versions) {
      out.add(new Schema.Parser().parse(v.toString()));
    }
    return out;
  }

  private static SchemaStore loadShipped() {
    Map<Long, Schema> m = new LinkedHashMap<>();
    for (Topic t : Topic.values()) {
      for (Schema s : history(t.schema().getName())) {
        m.put(fingerprint(s), s);
      }
      m.put(fingerprint(t.schema()), t.schema());
    }
    return new SchemaStore(new ConcurrentHashMap<>(m));
  }
}
