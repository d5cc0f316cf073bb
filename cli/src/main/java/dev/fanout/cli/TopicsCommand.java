package dev.fanout.cli;

import dev.fanout.config.ContractSchemaInstaller;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopicInstaller;
import dev.fanout.config.TopicInstaller.Outcome;
import dev.fanout.config.TopicSpec;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import dev.fanout.serde.AvroSerdeConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "topics", description = "Manage the topics of the Fanout contract.",
        subcommands = TopicsCommand.Create.class, mixinStandardHelpOptions = true)
public final class TopicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create every topic of the contract (compacted where it should be) and register its "
                    + "value schema (schemas/contract/) under <topic>-value in the Schema Registry. Idempotent."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Partitions of new topics (default: fanout.topic.partitions, 3).")
        Integer partitions;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Replication of new topics; -1 = the broker's default (default: fanout.topic.replication.factor, -1).")
        Short replicationFactor;

        @Override
        public Integer call() throws Exception {
            ClientSettings settings = connection.settings();
            FanoutConfig config = new FanoutConfig(settings.serde());
            List<TopicSpec> specs = Topics.specs(settings);
            int p = partitions != null ? partitions : config.topicPartitions();
            short rf = replicationFactor != null ? replicationFactor : config.topicReplicationFactor();
            List<Outcome> outcomes;
            try (Admin admin = Admin.create(Kafka.adminConfig(settings))) {
                outcomes = new TopicInstaller(admin).install(specs, p, rf);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage() + " (--partitions / --replication-factor)");
            }
            int code = report(outcomes, spec.commandLine().getOut(), spec.commandLine().getErr());
            List<ContractSchemaInstaller.Outcome> schemas;
            try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(settings.serde())) {
                schemas = new ContractSchemaInstaller(client).install(Topics.of(settings));
            } catch (IllegalStateException e) {
                throw new CliException(e.getMessage());
            } catch (SchemaRegistryUnavailableException e) {
                throw new CliException("the topics are there, but no Schema Registry answered at "
                        + settings.schemaRegistryUrl() + " to register the contract schemas: " + e.getMessage()
                        + "; start it, or give its URL with --schema-registry-url, and run 'fanout topics create' again", e);
            }
            reportSchemas(schemas, spec.commandLine().getOut());
            return code;
        }
    }

    /** Prints one line per subject. */
    static void reportSchemas(List<ContractSchemaInstaller.Outcome> outcomes, PrintWriter out) {
        for (ContractSchemaInstaller.Outcome o : outcomes) {
            out.println(String.format("%-10s %-32s id %d, version %d", o.status() == ContractSchemaInstaller.Status.REGISTERED
                    ? "registered" : "exists", o.subject(), o.id(), o.version()));
        }
    }

    /** Prints one line per topic; a topic whose settings contradict the contract makes the exit code 1. */
    static int report(List<Outcome> outcomes, PrintWriter out, PrintWriter err) {
        int code = 0;
        for (Outcome o : outcomes) {
            String line = String.format("%-9s %-32s %s", o.status().name().toLowerCase(), o.topic(), o.detail());
            if (o.status() == TopicInstaller.Status.MISMATCH) {
                err.println(line);
                code = FanoutCli.EXIT_ERROR;
            } else {
                out.println(line);
            }
        }
        return code;
    }
}
