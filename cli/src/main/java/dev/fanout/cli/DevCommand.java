package dev.fanout.cli;

import dev.fanout.config.TopicInstaller;
import dev.fanout.local.DevStack;
import dev.fanout.local.PortCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run the local stack on loopback until Ctrl-C: a Kafka broker (KRaft), the Schema Registry, "
                + "the contract's topics, the topology and its query API.",
                "Data is kept under --data-dir between runs."})
public final class DevCommand implements Callable<Integer> {

    private static final long STOP_TIMEOUT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the stack keeps its data (default: $FANOUT_HOME, else .fanout).")
    Path dataDir;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address every part binds to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka broker port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Schema Registry port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int registryPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Query API and web page port (default: ${DEFAULT-VALUE}; 0: any free port; -1: off).")
    int httpPort;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of the topics it creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    /** Counted down by Ctrl-C (or SIGTERM); the main thread then stops the stack. */
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the stack is closed, so the shutdown hook keeps the JVM alive until then. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (partitions < 1) {
            throw new CliException("--partitions " + partitions + " must be at least 1");
        }
        try {
            PortCheck.requireFree(host, List.of(
                    new PortCheck.Wanted("Kafka broker", kafkaPort, "--kafka-port"),
                    new PortCheck.Wanted("Schema Registry", registryPort, "--registry-port"),
                    new PortCheck.Wanted("query API and web page", httpPort, "--http-port")));
        } catch (IllegalStateException e) {
            throw new CliException("the dev stack cannot start: " + e.getMessage());
        }
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        out.println("Starting the Fanout dev stack (data in " + dir.toAbsolutePath() + ") ...");
        out.flush();
        long started = System.nanoTime();
        DevStack stack;
        try {
            stack = DevStack.start(new DevStack.Options(dir, host, kafkaPort, registryPort, partitions, httpPort));
        } catch (RuntimeException e) {
            throw new CliException("the dev stack did not start: " + FanoutCli.describe(e), e);
        }
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fanout-dev-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            printBanner(out, stack, (System.nanoTime() - started) / 1_000_000);
            stop.await();
            out.println("Stopping ...");
            out.flush();
        } finally {
            stack.close();
            out.println("Stopped. Data kept in " + stack.dataDir());
            out.flush();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting through the hook
            }
        }
        return 0;
    }

    static Path defaultDataDir() {
        String home = System.getenv("FANOUT_HOME");
        return Path.of(home != null && !home.isBlank() ? home : ".fanout");
    }

    private static void printBanner(PrintWriter out, DevStack stack, long millis) {
        out.printf("Fanout dev stack is up (%.1f s)%n", millis / 1000.0);
        out.printf("  Kafka broker     %s%n", stack.bootstrapServers());
        out.printf("  Schema Registry  %s%n", stack.registryUrl());
        stack.apiUrl().ifPresent(url -> out.printf("  Query API        %s/api/trees  (web page %s/)%n", url, url));
        out.printf("  Data             %s%n", stack.dataDir());
        out.println("  Topics");
        for (TopicInstaller.Outcome t : stack.topics()) {
            out.printf("    %-30s %s%n", t.topic(), t.status() == TopicInstaller.Status.CREATED ? "created" : "ready");
        }
        out.printf("  Schemas          %d contract schemas registered under <topic>-value (schemas/contract/)%n",
                stack.schemas().size());
        out.println();
        out.println("Try, in another terminal:");
        out.println("  ./fanout emit --artifact lib-core:release --event-type published --schema-version 1.2.0 \\");
        out.println("      --payload '{\"version\":\"1.2.0\",\"channel\":\"stable\"}'");
        out.println("  ./fanout consume fanout.artifact-events --from-beginning --max 1");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
