package dev.bpfstream.jobs.sink;

import java.io.Serializable;

/** The Kafka key of an output record (see {@code Topic.Key}). */
@FunctionalInterface
public interface RecordKey<T> extends Serializable {
  String of(T record);
}
