package dev.bpfstream.jobs.sql;

import dev.bpfstream.schema.Topic;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;

/** A catalog with every topic of the {@link Topic} list as a table, so nobody writes DDL for them. */
public final class TopicCatalog extends GenericInMemoryCatalog {
  public static final String NAME = "bpfstream";

  private final TopicTables.Source source;

  public TopicCatalog(TopicTables.Source source) {
    super(NAME);
    this.source = source;
  }

  @Override
  public void open() {
    super.open();
    for (Topic t : Topic.values()) {
      try {
        createTable(new ObjectPath(getDefaultDatabase(), TopicTables.tableName(t)), TopicTables.table(t, source), false);
      } catch (TableAlreadyExistException | DatabaseNotExistException e) {
        throw new IllegalStateException("cannot register " + t.topicName(), e);
      }
    }
  }
}
