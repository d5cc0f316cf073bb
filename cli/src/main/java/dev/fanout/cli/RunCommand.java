package dev.fanout.cli;

import dev.fanout.app.FanoutApp;
import dev.fanout.config.FanoutConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the Fanout topology against an existing cluster and registry until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Fanout topology (matcher and tree stage) until Ctrl-C.",
                "Settings come from --config: Kafka Streams and client keys, schema.registry.* and fanout.* keys "
                        + "(see docs/configuration.md). Start more instances with the same application.id to scale out."})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the topology keeps its state stores (default: state.dir from --config, else Kafka Streams' default).")
    Path stateDir;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the topology to reach RUNNING (default: ${DEFAULT-VALUE}).")
    long startupTimeoutSeconds;

    /** Tests stop the command through this instead of a signal. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> settings = new HashMap<>(connection.settings().all());
        if (stateDir != null) {
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        FanoutApp app;
        try {
            app = FanoutApp.start(settings);
        } catch (RuntimeException e) {
            throw new CliException("the topology did not start: " + FanoutCli.describe(e), e);
        }
        Thread hook = new Thread(stop::countDown, "fanout-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("Starting the Fanout topology ...");
            out.flush();
            app.awaitRunning(Duration.ofSeconds(startupTimeoutSeconds));
            String host = new FanoutConfig(settings).httpHost();
            app.httpPort().ifPresent(port -> out.println("Query API on " + app.httpScheme() + "://" + host + ":" + port
                    + "/api/trees (fanout.http.port), web page at /, metrics at /metrics"));
            out.println("Fanout is running. Press Ctrl-C to stop.");
            out.flush();
            stop.await();
        } catch (IllegalStateException refused) {
            throw new CliException("the topology did not start: " + refused.getMessage(), refused);
        } catch (TimeoutException e) {
            throw new CliException(e.getMessage() + "; check bootstrap.servers, schema.registry.url and that the "
                    + "topics exist ('fanout topics create')", e);
        } finally {
            app.close();
            out.println("Stopped.");
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting through the hook
            }
        }
        return 0;
    }
}
