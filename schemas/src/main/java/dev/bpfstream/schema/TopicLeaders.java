package dev.bpfstream.schema;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until every partition of just-created topics is served by its leader. {@code createTopics}
 * returns once the controller has the topic; the leader takes a moment more, and an idempotent
 * producer writing in that moment gets NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER for
 * the batches behind its first one, and stalls or loses them.
 */
public final class TopicLeaders {
  private TopicLeaders() {
  }

  public static void await(Admin admin, Collection<String> topics, long timeoutMs)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new TimeoutException("partitions of " + topics + " have no serving leader after " + timeoutMs + " ms");
      }
      try {
        // The broker may not know a just-created topic yet: describing it fails with a retriable error.
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(left, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription d : described.values()) {
          for (TopicPartitionInfo p : d.partitions()) {
            partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        // ListOffsets is answered by the partition's leader only: it succeeding means produce requests will too.
        admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs((int) Math.min(left, Integer.MAX_VALUE)))
            .all().get(left, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw e;
        }
        Thread.sleep(50);
      } catch (TimeoutException e) {
        // A call that used up the time left: the check above ends the wait with the topics' names.
      }
    }
  }
}
