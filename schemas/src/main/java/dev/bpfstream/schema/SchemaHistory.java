package dev.bpfstream.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.avro.Schema;

/**
 * Records the current schema of every record type in the history files when it changed.
 * Run after editing an .avsc:
 * {@code mvn -q -pl schemas compile exec:java -Dexec.mainClass=dev.bpfstream.schema.SchemaHistory}
 */
public final class SchemaHistory {
  static final Path DEFAULT_DIR = Path.of("src/main/resources", SchemaStore.HISTORY_DIR);

  private SchemaHistory() {
  }

  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : DEFAULT_DIR;
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    for (Topic t : Topic.values()) {
      Schema current = t.schema();
      Path file = dir.resolve(current.getName() + ".json");
      List<Schema> versions = Files.exists(file)
          ? SchemaStore.parseHistory(Files.readString(file)) : new ArrayList<>();
      long fp = SchemaStore.fingerprint(current);
      if (!versions.isEmpty() && SchemaStore.fingerprint(versions.get(versions.size() - 1)) == fp) {
        continue;
      }
      ArrayNode out = json.createArrayNode();
      for (Schema s : versions) {
        out.add(json.readTree(s.toString()));
      }
      out.add(json.readTree(current.toString()));
      Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
      System.out.printf("%s: recorded version %d (fingerprint %016x)%n", current.getName(), versions.size() + 1, fp);
    }
  }
}
