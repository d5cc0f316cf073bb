package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.Samples;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout cancel} against a real Fanout: the request on the tree-cancel topic, and each refusal. */
@ExtendWith(KafkaBrokerExtension.class)
class CancelCommandIT {

    @TempDir
    static Path dir;

    private static LiveFanout fanout;
    private static SimulatedWorkers workers;
    private static Path config;

    @BeforeAll
    static void startFanout(EmbeddedKafkaBroker broker) throws Exception {
        fanout = LiveFanout.start(broker.bootstrapServers(), dir.resolve("state"));
        workers = new SimulatedWorkers(fanout);
        config = fanout.cliConfig(dir);
        fanout.subscribe(Samples.subscription("app-a", "on-release").setWorkflow("build").build(),
                Samples.subscription("app-b", "on-release").setWorkflow("test").build());
    }

    @AfterAll
    static void stopFanout() {
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    void aRunningTreeGetsItsCancelRequestOnTheTopicWithTheReasonAndTheRequester() throws Exception {
        // Given a running tree
        startTree("cancel-running");
        Instant before = Instant.now().minusMillis(1);

        // When it is cancelled
        CliRun run = cli("cancel", "cancel-running", "--reason", "wrong version", "--by", "alice");

        // Then the command says what it did, and the request is on the topic, keyed by the tree id
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("asked the topology to cancel tree cancel-running (" + fanout.topics()
                .treeCancel().name() + " partition ").contains("watch it with `fanout tree cancel-running`");
        assertThat(requestsFor("cancel-running")).singleElement().satisfies(cancel -> {
            assertThat(cancel.getReason()).isEqualTo("wrong version");
            assertThat(cancel.getRequestedBy()).isEqualTo("alice");
            assertThat(cancel.getRequestedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        });
    }

    @Test
    void anUnknownTreeIsAnErrorNamingItAndNothingIsWritten() {
        CliRun run = cli("cancel", "cancel-no-such-tree");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("tree 'cancel-no-such-tree' not found at " + fanout.apiUrl())
                .contains("nothing to cancel");
        assertThat(requestsFor("cancel-no-such-tree")).isEmpty();
    }

    @Test
    void aTreeThatIsDoneIsAnErrorSayingSoWithItsStatusAndNothingIsWritten() throws Exception {
        List<Trigger> runs = startTree("cancel-done");
        for (Trigger trigger : runs) {
            workers.succeed(trigger);
        }
        fanout.awaitTreeDone("cancel-done");
        fanout.awaitCaughtUp();

        CliRun run = cli("cancel", "cancel-done");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: tree 'cancel-done' is done: SUCCEEDED at ")
                .contains("only a running tree can be cancelled");
        assertThat(requestsFor("cancel-done")).isEmpty();
    }

    @Test
    void noCheckWritesTheRequestWithoutAskingTheApi() {
        CliRun run = CliRun.of("cancel", "cancel-unchecked", "--no-check", "--api", "http://127.0.0.1:1",
                "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(requestsFor("cancel-unchecked")).singleElement()
                .satisfies(cancel -> assertThat(cancel.getRequestedBy()).isEqualTo(System.getProperty("user.name")));
    }

    @Test
    void aBlankTreeIdIsAnErrorSayingWhatToGive() {
        CliRun run = cli("cancel", " ");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("TREE_ID is empty; give the event_id of the tree's root event");
    }

    private static List<Trigger> startTree(String treeId) throws Exception {
        workers.emitRoot(treeId, Samples.ARTIFACT, "{}");
        List<Trigger> runs = fanout.awaitTriggers(t -> t.getTreeId().equals(treeId), 2);
        fanout.awaitCaughtUp();
        return runs;
    }

    private static List<TreeCancel> requestsFor(String treeId) {
        return fanout.treeCancels().stream().filter(e -> e.getKey().equals(treeId)).map(Map.Entry::getValue).toList();
    }

    private static CliRun cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--api";
        all[args.length + 1] = fanout.apiUrl();
        all[args.length + 2] = "--config";
        all[args.length + 3] = config.toString();
        return CliRun.of(all);
    }
}
