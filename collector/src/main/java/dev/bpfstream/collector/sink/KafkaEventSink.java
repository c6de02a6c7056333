package dev.bpfstream.collector.sink;

import java.time.Duration;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.bpfstream.collector.health.ProbeCounters;
import dev.bpfstream.schema.Topic;
import dev.bpfstream.schema.WireCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces records in the wire format, keyed by host (per-host order within a partition), with
 * batching, lz4 and idempotence. Acks and failures are counted on the probe that made the record.
 *
 * <p>With a {@link Spool}, Kafka being unreachable loses nothing silently: a record the producer
 * cannot take (buffer full, no metadata) or that times out in flight goes to the spool, and from
 * then on new records follow it there, so the replay keeps their order. A replayer thread sends the
 * spool's oldest segment, deletes it once every record is acknowledged, and switches back to direct
 * sends when the spool is empty. What the spool's policy drops is counted by probe.
 *
 * <p>What waits for acknowledgement is bounded in bytes ({@link InFlightBudget}), so a storm that
 * Kafka cannot keep up with slows the reader (and the BPF ring drops, counted) instead of filling
 * the heap; a wait longer than max.block.ms counts as Kafka being unreachable.
 */
public final class KafkaEventSink implements EventSink {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventSink.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final RecordKeys keys;
  private final Map<Topic, String> topicNames = new EnumMap<>(Topic.class);
  private final ThreadLocal<Map<Topic, WireCodec<SpecificRecord>>> codecs = ThreadLocal.withInitial(() -> new EnumMap<>(Topic.class));
  private final LongAdder sendErrors = new LongAdder();
  private final Spool spool;
  private final Map<String, ProbeCounters> sources = new ConcurrentHashMap<>();
  private final Thread replayer;
  private final InFlightBudget inFlight;
  private final long maxBlockMs;
  private volatile boolean spooling;
  // The segment being replayed and which of its records Kafka acknowledged (replay thread only).
  private long ackedSegment = -1;
  private BitSet acked;
  private volatile boolean running = true;
  private volatile boolean replaying = true;
  private volatile boolean closing;

  public KafkaEventSink(Map<String, Object> clientProperties, String hostId, String topicPrefix) {
    this(clientProperties, hostId, topicPrefix, null);
  }

  /** @param spool where records wait while Kafka is unreachable; null: they are dropped and counted */
  public KafkaEventSink(Map<String, Object> clientProperties, String hostId, String topicPrefix, Spool spool) {
    this(clientProperties, hostId, topicPrefix, spool, InFlightBudget.forHeap());
  }

  KafkaEventSink(Map<String, Object> clientProperties, String hostId, String topicPrefix, Spool spool, InFlightBudget inFlight) {
    Map<String, Object> p = new HashMap<>(defaults());
    p.putAll(clientProperties);
    this.inFlight = inFlight;
    this.maxBlockMs = Long.parseLong(String.valueOf(p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.keys = new RecordKeys(hostId);
    String prefix = topicPrefix == null ? "" : topicPrefix;
    for (Topic t : Topic.values()) {
      topicNames.put(t, prefix + t.topicName());
    }
    this.spool = spool;
    if (spool != null) {
      spool.onDrop((source, n) -> {
        ProbeCounters c = sources.get(source);
        if (c != null) {
          c.dropped.add(n);
        }
      });
      this.spooling = !spool.isEmpty(); // what an earlier run left goes first
      this.replayer = new Thread(this::replay, "spool-replay");
      this.replayer.setDaemon(true);
      this.replayer.start();
    } else {
      this.replayer = null;
    }
  }

  static Map<String, Object> defaults() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // The producer keeps its buffer pool once grown: with the in-flight budget it is what the sink
    // may hold, about a quarter of the heap in all (64 MiB each from a 512 MiB heap up).
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, InFlightBudget.heapShare());
    // How long a send may wait for metadata (a new topic) or buffer space. With a spool, the first
    // such failure switches to spooling, so a reader stalls at most once per outage.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "bpfstream-collector");
    return p;
  }

  @Override
  public void accept(Topic topic, SpecificRecord record, ProbeCounters counters) {
    byte[] value = codec(topic).encode(record);
    byte[] key = keys.key(topic, record);
    String name = topicNames.get(topic);
    if (spooling) {
      toSpool(counters, name, key, value, true);
      return;
    }
    int cost = inFlight.cost(key, value);
    if (!inFlight.acquire(cost, maxBlockMs)) {
      // Nothing acknowledged for max.block.ms: as unreachable as a full producer buffer.
      sendErrors.increment();
      if (spool != null && running) {
        startSpooling(new org.apache.kafka.common.errors.TimeoutException(
            "no acknowledgement within " + maxBlockMs + " ms with " + inFlight.inFlight() + " bytes in flight"));
        toSpool(counters, name, key, value, true);
      } else {
        counters.produceErrors.increment();
        counters.dropped.increment();
      }
      return;
    }
    try {
      producer.send(new ProducerRecord<>(name, key, value),
          spool == null ? new Acked(this, counters, cost) : new Delivery(this, counters, name, key, value, cost));
    } catch (RuntimeException e) {
      // Buffer full past max.block.ms, no metadata, or closing.
      inFlight.release(cost);
      sendErrors.increment();
      if (spool != null && running) {
        startSpooling(e);
        toSpool(counters, name, key, value, true);
      } else {
        counters.produceErrors.increment();
        counters.dropped.increment();
      }
    }
  }

  /** Acknowledgement of a direct send with a spool behind it: a timed-out record goes to the spool. */
  private record Delivery(KafkaEventSink sink, ProbeCounters counters, String topic, byte[] key, byte[] value, int cost)
      implements Callback {
    @Override
    public void onCompletion(RecordMetadata md, Exception e) {
      sink.inFlight.release(cost);
      if (e == null) {
        counters.produced.increment();
      } else if ((e instanceof RetriableException || e instanceof OutOfOrderSequenceException || sink.closing) && sink.running) {
        // OutOfOrderSequence: the broker refused the batch (seen for the first batch to a topic just
        // created, with several batches in flight); nothing was written, so sending it again is safe.
        sink.sendErrors.increment();
        sink.startSpooling(e);
        sink.toSpool(counters, topic, key, value, false); // the producer's I/O thread must never wait
      } else {
        sink.sendErrors.increment();
        counters.produceErrors.increment();
        counters.dropped.increment();
      }
    }
  }

  private void startSpooling(Exception cause) {
    if (!spooling) {
      spooling = true;
      log.warn("Kafka unreachable ({}): spooling to disk until it returns", cause.toString());
    }
  }

  private void toSpool(ProbeCounters counters, String topic, byte[] key, byte[] value, boolean mayWait) {
    sources.putIfAbsent(counters.probe(), counters);
    boolean kept;
    try {
      kept = mayWait ? spool.append(counters.probe(), topic, key, value) : spool.appendNow(counters.probe(), topic, key, value);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kept = false;
    } catch (RuntimeException e) {
      log.warn("spool write failed: {}", e.getMessage());
      kept = false;
      counters.dropped.increment();
    }
    if (kept) {
      counters.spooled.increment();
    }
  }

  /** Sends the spool's segments oldest first while Kafka takes them; back to direct sends when empty. */
  private void replay() {
    long backoffMs = 500;
    while (replaying) {
      try {
        Spool.Batch batch = spool.oldest();
        if (batch == null) {
          if (spooling) {
            spooling = false;
            log.info("spool drained: producing directly again");
          }
          Thread.sleep(200);
          continue;
        }
        if (send(batch)) {
          spool.release(batch);
          backoffMs = 500;
        } else {
          Thread.sleep(backoffMs);
          backoffMs = Math.min(10_000, backoffMs * 2);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("spool replay: {}", e.toString());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * True when every record of the batch is acknowledged (their probes' produced counts then grow).
   * A record acknowledged in an earlier attempt at the same segment is not sent again: only what
   * failed is retried, so a segment that partly failed puts nothing into Kafka twice.
   */
  private boolean send(Spool.Batch batch) throws InterruptedException {
    if (ackedSegment != batch.segmentId()) {
      ackedSegment = batch.segmentId();
      acked = new BitSet(batch.entries().size());
    }
    BitSet ackedNow = acked;
    List<Spool.Entry> entries = batch.entries();
    int pending = entries.size() - ackedNow.cardinality();
    CountDownLatch done = new CountDownLatch(pending);
    AtomicInteger failed = new AtomicInteger();
    for (int i = ackedNow.nextClearBit(0); i < entries.size(); i = ackedNow.nextClearBit(i + 1)) {
      Spool.Entry e = entries.get(i);
      int index = i;
      int cost = inFlight.cost(e.key(), e.value());
      if (!inFlight.acquire(cost, maxBlockMs)) {
        failed.incrementAndGet(); // sent with the next attempt
        done.countDown();
        continue;
      }
      try {
        producer.send(new ProducerRecord<>(e.topic(), e.key().length == 0 ? null : e.key(), e.value()), (md, ex) -> {
          inFlight.release(cost);
          if (ex != null) {
            failed.incrementAndGet();
          } else {
            synchronized (ackedNow) {
              ackedNow.set(index);
            }
            ProbeCounters c = sources.get(e.source());
            if (c != null) {
              c.produced.increment();
            }
          }
          done.countDown();
        });
      } catch (RuntimeException ex) {
        inFlight.release(cost);
        failed.incrementAndGet();
        done.countDown();
      }
    }
    // Every send ends within delivery.timeout.ms, acknowledged or failed: waiting for all of them
    // means no record of this segment is still in flight when a retry sends the failed ones again.
    done.await();
    return failed.get() == 0;
  }

  /** Acknowledgement of a direct send without a spool: a failure is a counted drop. */
  private record Acked(KafkaEventSink sink, ProbeCounters counters, int cost) implements Callback {
    @Override
    public void onCompletion(RecordMetadata md, Exception e) {
      sink.inFlight.release(cost);
      if (e == null) {
        counters.produced.increment();
      } else {
        counters.produceErrors.increment();
        counters.dropped.increment();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private WireCodec<SpecificRecord> codec(Topic topic) {
    return codecs.get().computeIfAbsent(topic, t -> (WireCodec<SpecificRecord>) WireCodec.of(t.recordType()));
  }

  public long sendErrors() {
    return sendErrors.sum();
  }

  public boolean spooling() {
    return spooling;
  }

  @Override
  public SinkStats stats() {
    return spool == null ? new SinkStats(sendErrors.sum(), 0, 0, 0)
        : new SinkStats(sendErrors.sum(), spool.bytes(), spool.records(), spool.droppedTotal());
  }

  @Override
  public void flush() {
    producer.flush();
  }

  /** Stops replaying (what is left stays in the spool for the next run) and closes the producer. */
  @Override
  public void close() {
    replaying = false;
    if (replayer != null) {
      replayer.interrupt();
      try {
        replayer.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Records still in the producer that cannot be delivered now land in the spool for the next run.
    closing = true;
    producer.close(Duration.ofSeconds(10));
    running = false;
    if (spool != null) {
      spool.close();
    }
  }
}
