package dev.fanout.app;

import dev.fanout.config.FanoutTopics;
import dev.fanout.security.SecurityFailures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The tree stage's partition count, read from the cluster before the topology is built.
 *
 * <p>A tree lives on one partition number: its plans come from the matcher, which reads the events' partitions,
 * and its runs' reports from the run-status topic. Both are re-keyed by tree id onto repartition topics with as
 * many partitions as the topic they came from, so the two topics must have the same count or a tree's reports
 * reach an instance that does not know its runs. A report that a worker wrote to its tree's partition goes to
 * the coordinator without the hop ({@code StatusRoutes}), which needs the count when the topology is built.
 */
final class TreePartitionCount {

    private TreePartitionCount() {
    }

    /**
     * The partition count that the events' and the run-status topic share.
     *
     * @throws IllegalStateException naming the topic and the fix, when a topic is missing, the counts differ,
     *     the cluster refuses the request, or it does not answer within {@code timeout}
     */
    static int read(Properties streamsProperties, FanoutTopics topics, Duration timeout) {
        String events = topics.artifactEvents().name();
        String statuses = topics.runStatus().name();
        Map<String, Object> adminSettings = new StreamsConfig(streamsProperties)
                .getAdminConfigs(streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-partition-count");
        try (Admin admin = Admin.create(adminSettings)) {
            Map<String, TopicDescription> found = admin.describeTopics(List.of(events, statuses)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return shared(events, found.get(events).partitions().size(), statuses, found.get(statuses).partitions().size());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Fanout's topics " + events + " and " + statuses + " are not both there ("
                        + cause.getMessage() + "): create them first with 'fanout topics create' (with the same "
                        + "fanout.topic.prefix), or run 'fanout dev', which creates them", cause);
            }
            Optional<String> refused = SecurityFailures.explain(cause);
            if (refused.isPresent()) {
                // Said as a refusal once the topology runs is said (FanoutApp.awaitRunning), naming the topics the
                // broker leaves out; retrying will not help, so no cause to look further into.
                throw new IllegalStateException("Fanout cannot run on this cluster: " + refused.get() + " (refused "
                        + "while reading the partition counts of " + events + " and " + statuses
                        + ", which the topology's principal reads)");
            }
            throw new IllegalStateException("cannot read the partition counts of " + events + " and " + statuses + ": "
                    + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster at " + adminSettings.get("bootstrap.servers") + " did not say "
                    + "within " + timeout.toSeconds() + " s how many partitions " + events + " and " + statuses
                    + " have: check bootstrap.servers and that the brokers are up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the partition count of " + statuses, e);
        }
    }

    static int shared(String events, int eventPartitions, String statuses, int statusPartitions) {
        if (eventPartitions != statusPartitions) {
            throw new IllegalStateException(events + " has " + eventPartitions + " partitions and " + statuses + " has "
                    + statusPartitions + ": a tree's plans and its runs' reports are handled on one partition number, "
                    + "so the two need the same count. Recreate " + statuses + " with " + eventPartitions
                    + " partitions while no run is in flight (it holds only reports on their way), or add partitions "
                    + "to it to match");
        }
        return eventPartitions;
    }
}
