package dev.fanout.cli;

import dev.fanout.local.Demo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Fanout end to end on this machine: start the local stack (broker, registry, topology, "
                + "web page), sync the subscriptions of examples/repos, start the example workers, emit a release "
                + "of lib-core and follow the tree of runs it causes, three levels deep, to its end; then a bad "
                + "release, whose deployments fail and are compensated.",
                "Prints progress, each finished tree and its TreeDone, then keeps the web page up until Ctrl-C.",
                "Data goes to --data-dir, emptied at every start. Exit code: 0 when both trees ended as designed, "
                        + DemoCommand.EXIT_NOT_AS_EXPECTED + " when one did not, 1 on errors."})
public final class DemoCommand implements Callable<Integer> {

    /** A demo tree did not end with the expected status and counts. */
    public static final int EXIT_NOT_AS_EXPECTED = 3;

    /** Ctrl-C before the demo was done; the JVM itself exits 130 on any Ctrl-C, as a shell reports SIGINT. */
    public static final int EXIT_INTERRUPTED = 130;

    private static final long STOP_TIMEOUT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = "--exit-when-done",
            description = "Exit after the summary instead of keeping the web page up (for scripts).")
    boolean exitWhenDone;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The demo's own data, emptied at every start (default: $FANOUT_HOME/demo, else .fanout/demo).")
    Path dataDir;

    @Option(names = "--repos", paramLabel = "DIR", defaultValue = "examples/repos",
            description = "The example repositories whose tako.yml files are synced (default: ${DEFAULT-VALUE}).")
    Path repos;

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
            description = "Web page and query API port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int httpPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up (exit 1) when a step takes longer: indexing the subscriptions, the tree "
                    + "(default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--in-place", negatable = true,
            description = "Rewrite the progress line in place (default: only when the output is a terminal).")
    Boolean inPlace;

    /** Counted down by Ctrl-C (or SIGTERM). */
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once everything is closed, so the shutdown hook keeps the JVM alive until then. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** True while the demo runs its steps: Ctrl-C then interrupts them; afterwards it only ends the wait. */
    private final AtomicBoolean interruptible = new AtomicBoolean(true);

    @Override
    public Integer call() throws InterruptedException {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.countDown();
            if (interruptible.getAndSet(false)) {
                main.interrupt();
            }
            try {
                stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fanout-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runDemo(out);
        } catch (InterruptedException | RuntimeException e) {
            if (stop.getCount() == 0) {
                out.println();
                out.println("Stopped by Ctrl-C before the demo was done.");
                out.flush();
                return EXIT_INTERRUPTED;
            }
            throw e;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting through the hook
            }
        }
    }

    private int runDemo(PrintWriter out) throws InterruptedException {
        Demo demo;
        try {
            demo = Demo.start(new Demo.Options(dataDir != null ? dataDir : defaultDataDir(), host, kafkaPort,
                    registryPort, httpPort, 3, repos, Duration.ofSeconds(timeoutSeconds)), out);
        } catch (RuntimeException e) {
            throw new CliException("the demo did not start: " + FanoutCli.describe(e), e);
        }
        try {
            List<Demo.Result> results;
            try {
                results = demo.run(inPlace != null ? inPlace : WatchCommand.isTerminal());
            } catch (RuntimeException e) {
                throw new CliException("the demo did not finish: " + FanoutCli.describe(e), e);
            }
            int code = results.stream().allMatch(Demo.Result::asExpected) ? 0 : EXIT_NOT_AS_EXPECTED;
            if (!exitWhenDone && interruptible.getAndSet(false)) {
                out.println();
                out.println("The web page stays up: " + demo.treeUrl(results.get(0).treeId()) + " and "
                        + demo.treeUrl(results.get(1).treeId()) + "  (all trees: " + demo.webUrl() + ")");
                out.println("Press Ctrl-C to stop.");
                out.flush();
                stop.await();
            }
            return code;
        } finally {
            interruptible.set(false);
            Thread.interrupted(); // an interrupt from Ctrl-C must not cut the orderly close short
            out.println("Stopping ...");
            out.flush();
            demo.close();
            out.println("Stopped.");
            out.flush();
        }
    }

    private void checkOptions() {
        if (timeoutSeconds < 1) {
            throw new CliException("--timeout " + timeoutSeconds + " must be at least 1 second, such as 120");
        }
        if (httpPort < 0) {
            throw new CliException("--http-port " + httpPort + ": the demo needs the web page and query API; give a "
                    + "port, or 0 for any free one");
        }
        if (!Files.isDirectory(repos)) {
            throw new CliException("--repos " + repos + ": no such directory (looked in " + repos.toAbsolutePath()
                    + "); run ./fanout demo from the root of the Fanout checkout, where examples/repos is, or give "
                    + "--repos DIR");
        }
    }

    /** {@code $FANOUT_HOME/demo}, else {@code .fanout/demo}: a folder of its own next to the dev stack's kafka/ and streams/. */
    static Path defaultDataDir() {
        return DevCommand.defaultDataDir().resolve("demo");
    }
}
