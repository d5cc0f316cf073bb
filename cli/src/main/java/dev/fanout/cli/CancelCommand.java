package dev.fanout.cli;

import dev.fanout.avro.TreeCancel;
import dev.fanout.cli.tree.TreeApiException;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import dev.fanout.config.Topic;
import dev.fanout.security.SecurityFailures;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Asks the topology to cancel a running tree by writing a {@code TreeCancel} to the tree-cancel topic. It
 * first looks the tree up through the query API, so an unknown or finished tree is an error naming it
 * rather than a request the coordinator would drop; {@code --no-check} writes without asking (for a host
 * that reaches the brokers but not the API).
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a running tree: write a TreeCancel to the tree-cancel topic, keyed by the tree id.",
                "The tree coordinator skips the children still queued, tells the workers of the runs in progress, "
                        + "runs compensation and ends the tree FAILED with its cancelled field set.",
                "The tree is looked up through the query API (--api) first: an unknown or finished tree is an "
                        + "error; --no-check skips the lookup."})
public final class CancelCommand implements Callable<Integer> {

    /** Longest --reason and --by, as the query API takes them. */
    static final int MAX_TEXT = 1000;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "TREE_ID", description = "The tree's id: the event_id of its root event.")
    String treeId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; carried to the workers and the tree's TreeDone.")
    String reason;

    @Option(names = "--by", paramLabel = "NAME",
            description = "Who asks (default: the user name of this session, ${sys:user.name}).")
    String by;

    @Option(names = "--no-check", description = "Write the request without looking the tree up through the API.")
    boolean noCheck;

    @Override
    public Integer call() throws Exception {
        if (treeId.isBlank()) {
            throw new CliException("TREE_ID is empty; give the event_id of the tree's root event, such as "
                    + "'fanout cancel release-2.0.0'");
        }
        String why = text(reason, "--reason");
        String who = text(by != null ? by : System.getProperty("user.name"), "--by");
        if (!noCheck) {
            requireRunning();
        }
        ClientSettings settings = connection.settings();
        Topic<String, TreeCancel> topic = Topics.of(settings).treeCancel();
        TreeCancel cancel = TreeCancel.newBuilder().setTreeId(treeId).setReason(why).setRequestedBy(who)
                .setRequestedAt(Instant.now()).build();
        try (KafkaProducer<String, TreeCancel> producer = new KafkaProducer<>(Kafka.producerConfig(settings),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            RecordMetadata meta = producer.send(new ProducerRecord<>(topic.name(), treeId, cancel)).get();
            spec.commandLine().getOut().printf("asked the topology to cancel tree %s (%s partition %d offset %d); "
                    + "watch it with `fanout tree %s`%n", treeId, meta.topic(), meta.partition(), meta.offset(), treeId);
        } catch (ExecutionException e) {
            throw new CliException("could not write the cancel request to " + topic.name() + " on "
                    + settings.bootstrapServers() + ": " + e.getCause().getMessage()
                    + (SecurityFailures.isSecurityFailure(e) ? "" : " (is the broker up? try ./fanout dev)"), e.getCause());
        }
        return 0;
    }

    /** Refuses a tree the API does not know or that is done, naming it; nothing is written then. */
    private void requireRunning() {
        TreeSummary tree;
        try {
            tree = api.client().tree(treeId);
        } catch (TreeApiException e) {
            if (e.kind() == TreeApiException.Kind.NOT_FOUND) {
                throw new CliException(e.getMessage() + "; nothing to cancel", e);
            }
            throw new CliException(e.getMessage() + " (to write the cancel request without looking the tree up, "
                    + "add --no-check)", e);
        }
        if (tree.finishedAt() != null || !"RUNNING".equals(tree.status())) {
            throw new CliException("tree '" + treeId + "' is done: " + tree.status()
                    + (tree.finishedAt() == null ? "" : " at " + tree.finishedAt()) + "; only a running tree can be "
                    + "cancelled");
        }
    }

    private static String text(String value, String option) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() > MAX_TEXT) {
            throw new CliException(option + " is " + text.length() + " characters long; keep it to " + MAX_TEXT);
        }
        return text;
    }
}
