package dev.fanout.bench.chaos;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.bench.pipeline.Clients;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the pipeline committed (read_committed, from the beginning, once every writer has stopped) and
 * holds it against {@link ChaosWorkload}'s expectations, record by record, as Kafka's own exactly-once system
 * test verifies its output: exactly one {@code TreeDone} per tree with the expected status and counts, exactly
 * one {@code FanOutDone} per fan-out, and no {@code (run_id, attempt)} triggered twice.
 */
final class ChaosVerifier {

    /** What the committed output says. Every figure but the totals must be 0 for a run to pass. */
    record Verdict(int trees, long treeDones, long fanOutDones, long triggers, int lostTrees, long duplicateTreeDones,
                   int lostFanOuts, long duplicateFanOutDones, long duplicateTriggers, int wrongTrees,
                   long deadLetters, List<String> examples) {

        boolean passed() {
            return lostTrees == 0 && duplicateTreeDones == 0 && lostFanOuts == 0 && duplicateFanOutDones == 0
                    && duplicateTriggers == 0 && wrongTrees == 0 && deadLetters == 0;
        }

        long duplicates() {
            return duplicateTreeDones + duplicateFanOutDones + duplicateTriggers;
        }

        long lost() {
            return lostTrees + lostFanOuts;
        }
    }

    private static final int EXAMPLES = 10;

    private ChaosVerifier() {
    }

    static Verdict verify(String bootstrapServers, FanoutTopics topics, ChaosWorkload workload, int trees) {
        List<String> examples = new ArrayList<>();
        Map<String, Integer> treeDones = new HashMap<>();
        Map<String, TreeDone> firstTreeDone = new HashMap<>();
        Map<String, Integer> fanOutDonesById = new HashMap<>();
        Map<String, Integer> fanOutsPerTree = new HashMap<>();
        Map<String, Integer> triggered = new HashMap<>();
        long[] totals = new long[4];

        readAll(bootstrapServers, topics.treeDone(), r -> {
            totals[0]++;
            treeDones.merge(r.key(), 1, Integer::sum);
            firstTreeDone.putIfAbsent(r.key(), r.value());
        });
        readAll(bootstrapServers, topics.fanOutDone(), r -> {
            totals[1]++;
            FanOutDone done = r.value();
            if (fanOutDonesById.merge(done.getFanOutId(), 1, Integer::sum) == 1) {
                fanOutsPerTree.merge(done.getTreeId(), 1, Integer::sum);
            }
        });
        readAll(bootstrapServers, topics.triggers(), r -> {
            totals[2]++;
            triggered.merge(r.value().getRunId() + "#" + r.value().getAttempt(), 1, Integer::sum);
        });
        totals[3] = countAll(bootstrapServers, topics.deadLetters().name());

        int lostTrees = 0;
        int lostFanOuts = 0;
        int wrongTrees = 0;
        for (int i = 0; i < trees; i++) {
            ChaosWorkload.Expected expected = workload.expected(i);
            String id = expected.treeId();
            TreeDone done = firstTreeDone.get(id);
            if (done == null) {
                lostTrees++;
                example(examples, "tree " + id + ": no TreeDone");
            } else {
                Counts want = new Counts(expected.total(), expected.total(), 0L, 0L, 0L, expected.retries(), 0L, 0L);
                if (done.getStatus() != CompletionStatus.SUCCEEDED || !want.equals(done.getCounts())) {
                    wrongTrees++;
                    example(examples, "tree " + id + ": " + done.getStatus() + " " + done.getCounts() + ", expected SUCCEEDED " + want);
                }
            }
            int fanOuts = fanOutsPerTree.getOrDefault(id, 0);
            if (fanOuts < ChaosWorkload.FAN_OUTS) {
                lostFanOuts += ChaosWorkload.FAN_OUTS - fanOuts;
                example(examples, "tree " + id + ": " + fanOuts + " of " + ChaosWorkload.FAN_OUTS + " FanOutDone");
            }
        }
        long duplicateTreeDones = extra(treeDones, examples, "TreeDone of tree ");
        long duplicateFanOutDones = extra(fanOutDonesById, examples, "FanOutDone of fan-out ");
        long duplicateTriggers = extra(triggered, examples, "trigger of run#attempt ");
        if (totals[3] > 0) {
            example(examples, totals[3] + " dead letters (a chaos run sends nothing that should be refused)");
        }
        return new Verdict(trees, totals[0], totals[1], totals[2], lostTrees, duplicateTreeDones, lostFanOuts,
                duplicateFanOutDones, duplicateTriggers, wrongTrees, totals[3], List.copyOf(examples));
    }

    private static long extra(Map<String, Integer> counts, List<String> examples, String what) {
        long extra = 0;
        for (var e : counts.entrySet()) {
            if (e.getValue() > 1) {
                extra += e.getValue() - 1;
                example(examples, what + e.getKey() + " written " + e.getValue() + " times");
            }
        }
        return extra;
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }

    private static <V> void readAll(String bootstrapServers, Topic<String, V> topic, Consumer<ConsumerRecord<String, V>> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Clients.consumer(bootstrapServers, "chaos-verifier"),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            drain(consumer, topic.name(), each);
        }
    }

    private static long countAll(String bootstrapServers, String topic) {
        long[] n = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Clients.consumer(bootstrapServers, "chaos-verifier"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            drain(consumer, topic, r -> n[0]++);
        }
        return n[0];
    }

    /** Reads every partition up to its end as it is now (past the last commit marker: every writer has stopped). */
    private static <K, V> void drain(KafkaConsumer<K, V> consumer, String topic, Consumer<ConsumerRecord<K, V>> each) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end " + ends + " within 2 minutes");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(each);
        }
    }
}
