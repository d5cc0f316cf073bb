package dev.fanout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.json.AvroJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Print the records of a Fanout topic as JSON lines, decoded from Avro.",
                "Reads committed records only (read_committed), without joining a consumer group."})
public final class ConsumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TOPIC",
            description = "Topic name, such as fanout.tree-done (the prefix may be left out: tree-done).")
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the earliest record, not at the end.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS",
            description = "Stop when no record arrives for this long (default: wait forever).")
    Long idleTimeoutMs;

    @Option(names = "--with-metadata",
            description = "Wrap each value with topic, partition, offset, timestamp, key and headers.")
    boolean withMetadata;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new CliException("--max " + max + " must be at least 1");
        }
        if (idleTimeoutMs != null && idleTimeoutMs < 1) {
            throw new CliException("--idle-timeout-ms " + idleTimeoutMs + " must be positive");
        }
        ClientSettings settings = connection.settings();
        FanoutTopics topics = Topics.of(settings);
        Topic<?, ?> topic = topics.byName(topicName)
                .or(() -> topics.byName(new dev.fanout.config.FanoutConfig(settings.serde()).topicPrefix() + topicName))
                .orElseThrow(() -> new CliException("'" + topicName + "' is not a topic of this Fanout installation; "
                        + "use one of " + topics.all().stream().map(Topic::name).toList()));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Kafka.consumerConfig(settings),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return consume(consumer, topic, out, err);
            } catch (WakeupException stopped) {
                return 0;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: nothing to remove
                }
            }
        }
    }

    private int consume(KafkaConsumer<byte[], byte[]> consumer, Topic<?, ?> topic, PrintWriter out, PrintWriter err) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name());
        if (infos == null || infos.isEmpty()) {
            throw new CliException("topic " + topic.name() + " does not exist on " + connection.settings().bootstrapServers()
                    + "; create it with ./fanout topics create");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        Deserializer<?> values = topic.valueSerde().deserializer();
        long printed = 0;
        long lastRecord = System.nanoTime();
        while (max == null || printed < max) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                if (idleTimeoutMs != null && System.nanoTime() - lastRecord > Duration.ofMillis(idleTimeoutMs).toNanos()) {
                    break;
                }
                continue;
            }
            lastRecord = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                try {
                    out.println(line(record, decode(values, record)));
                    printed++;
                } catch (RuntimeException e) {
                    err.printf("cannot decode %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(),
                            FanoutCli.describe(e));
                }
                if (max != null && printed >= max) {
                    break;
                }
            }
            out.flush();
        }
        return 0;
    }

    private static JsonNode decode(Deserializer<?> values, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        Object value = values.deserialize(record.topic(), record.headers(), record.value());
        if (value instanceof SpecificRecord avro) {
            return AvroJson.toJson(avro);
        }
        return JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString((byte[]) value));
    }

    private String line(ConsumerRecord<byte[], byte[]> record, JsonNode value) {
        if (!withMetadata) {
            return value.toString();
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        node.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        ObjectNode headers = node.putObject("headers");
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        node.set("value", value);
        return node.toString();
    }
}
