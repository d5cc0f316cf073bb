package dev.fanout.worker;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.EventOrigin;
import dev.fanout.avro.Trigger;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The whole event of a trigger that carries it cut ({@code event_payload_omitted}: a {@code foreach} child,
 * whose list is left out), read from where the trigger says it is ({@code event_origin}) with a consumer of
 * its own, made on first use. The last few events are kept: the children of one fan-out, which share their
 * event, tend to reach the same worker together.
 */
final class OriginalEvents implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int KEPT = 8;

    private final Map<String, Object> consumerSettings;
    private final SpecificAvroDeserializer<ArtifactEvent> deserializer;
    private final Map<String, ArtifactEvent> recent = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArtifactEvent> eldest) {
            return size() > KEPT;
        }
    };
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    OriginalEvents(Map<String, Object> clientSettings, Map<String, Object> serdeSettings, SchemaRegistryClient registry) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerSettings = settings;
        this.deserializer = new SpecificAvroDeserializer<>(ArtifactEvent.class, registry);
        this.deserializer.configure(serdeSettings, false);
    }

    /** The trigger's event as its producer sent it: the trigger's own when nothing was left out of it. */
    synchronized ArtifactEvent of(Trigger trigger) {
        ArtifactEvent carried = trigger.getEvent();
        if (trigger.getEventPayloadOmitted().isEmpty()) {
            return carried;
        }
        EventOrigin origin = trigger.getEventOrigin();
        if (origin == null) {
            throw new IllegalStateException("run " + trigger.getRunId() + ": its trigger left " + trigger
                    .getEventPayloadOmitted() + " out of event " + carried.getEventId() + " but does not say where the "
                    + "event is (no event_origin); read the event from the query API or the producer instead");
        }
        String key = carried.getEventId() + "@" + origin.getTopic() + "/" + origin.getPartition() + "/" + origin.getOffset();
        ArtifactEvent known = recent.get(key);
        if (known != null) {
            return known;
        }
        ArtifactEvent read = read(trigger, origin);
        recent.put(key, read);
        return read;
    }

    private ArtifactEvent read(Trigger trigger, EventOrigin origin) {
        if (closed) {
            throw new IllegalStateException("the worker is closed; cannot read event " + trigger.getEvent().getEventId());
        }
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        TopicPartition partition = new TopicPartition(origin.getTopic(), origin.getPartition());
        String where = origin.getTopic() + " partition " + origin.getPartition() + " offset " + origin.getOffset();
        String eventId = trigger.getEvent().getEventId();
        consumer.assign(List.of(partition));
        consumer.seek(partition, origin.getOffset());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < origin.getOffset()) {
                        continue;
                    }
                    ArtifactEvent event = record.offset() == origin.getOffset()
                            ? deserializer.deserialize(record.topic(), record.value()) : null;
                    if (event == null || !event.getEventId().equals(eventId)) {
                        throw new IllegalStateException("event " + eventId + " of run " + trigger.getRunId()
                                + " is not at " + where + " (found " + (event == null ? "no event there"
                                : "event " + event.getEventId()) + "); was the topic recreated?");
                    }
                    return event;
                }
            }
        } catch (OffsetOutOfRangeException e) {
            throw new IllegalStateException("event " + eventId + " of run " + trigger.getRunId() + " at " + where
                    + " is no longer on the topic (deleted by its retention.ms); keep " + origin.getTopic()
                    + " long enough for workers to read the events of their runs", e);
        } finally {
            consumer.assign(List.of());
        }
        throw new IllegalStateException("could not read event " + eventId + " of run " + trigger.getRunId() + " at "
                + where + " within " + READ_TIMEOUT + "; is the broker reachable?");
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.close();
        }
    }
}
