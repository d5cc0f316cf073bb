package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link TopologyMain} in a child JVM with the bench's own classpath and a heap cap, and talks to it over
 * its stdin and stdout. Its log lines go to a file beside its state, which is named in any error.
 * {@code FANOUT_BENCH_TOPOLOGY_JAVA_OPTS} adds JVM options to the child, for instance
 * {@code -XX:StartFlightRecording=filename=fanout.jfr,settings=profile} to profile it.
 */
public final class TopologyProcess implements AutoCloseable {

    static final String JAVA_OPTS_ENV = "FANOUT_BENCH_TOPOLOGY_JAVA_OPTS";
    private static final long START_TIMEOUT_SECONDS = 180;
    private static final long REPLY_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    private boolean stopped;

    private TopologyProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::readOutput, "bench-topology-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the topology with {@code settings}, capped at {@code heapMiB} of heap, and waits until it runs. */
    public static TopologyProcess start(Map<String, Object> settings, int heapMiB, Path dir) {
        Path settingsFile = dir.resolve("topology.properties");
        Path log = dir.resolve("topology.log");
        Properties properties = new Properties();
        settings.forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
        try (Writer w = Files.newBufferedWriter(settingsFile)) {
            properties.store(w, "fanout bench: the topology's settings");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the topology's settings to " + settingsFile + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMiB + "m");
        command.add("-XX:+UseG1GC");
        String extra = System.getenv(JAVA_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TopologyMain.class.getName());
        command.add(settingsFile.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the topology's JVM (" + command.get(0) + "): " + e.getMessage(), e);
        }
        TopologyProcess topology = new TopologyProcess(process, log);
        String reply = topology.await(START_TIMEOUT_SECONDS);
        if (!reply.equals("running")) {
            topology.close();
            throw new BenchException("the topology did not start: " + reply + "; its log is " + log, null);
        }
        return topology;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Ends the JVM with SIGKILL, as a crash or an OOM killer would: no close, no commit, no leaving the group,
     * and its open transactions left for the broker or a successor to abort. Waits until it is gone.
     */
    public void kill() {
        stopped = true;
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new BenchException("the topology's JVM (pid " + process.pid() + ") did not die within 30 s of SIGKILL", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the topology gracefully (committing what it processed), as {@link #stop} does, ignoring its stats. */
    public void stopGracefully() {
        if (!stopped && process.isAlive()) {
            stop();
        }
    }

    /** What the topology's JVM used so far. */
    TopologyMain.Stats stats() {
        commands.println("stats");
        return parse(await(REPLY_TIMEOUT_SECONDS));
    }

    /** Stops the topology (committing what it processed) and returns what its JVM used in all. */
    TopologyMain.Stats stop() {
        commands.println("stop");
        TopologyMain.Stats stats = parse(await(REPLY_TIMEOUT_SECONDS));
        stopped = true;
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return stats;
    }

    private TopologyMain.Stats parse(String reply) {
        if (!reply.startsWith("stats ")) {
            throw new BenchException("the topology answered '" + reply + "' instead of its stats; its log is " + log, null);
        }
        return TopologyMain.Stats.decode(reply.substring("stats ".length()));
    }

    private String await(long seconds) {
        try {
            String reply = replies.poll(seconds, TimeUnit.SECONDS);
            if (reply == null) {
                throw new BenchException("the topology's JVM did not answer within " + seconds + " s"
                        + (process.isAlive() ? "" : " (it exited with code " + process.exitValue() + ")")
                        + "; its log is " + log, null);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for the topology", e);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer logWriter = Files.newBufferedWriter(log.resolveSibling("topology.out"))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(TopologyMain.PREFIX)) {
                    replies.add(line.substring(TopologyMain.PREFIX.length()));
                } else {
                    logWriter.write(line);
                    logWriter.write('\n');
                }
            }
        } catch (IOException e) {
            replies.add("failed reading the topology's output: " + e.getMessage());
        }
        replies.add("failed the topology's JVM exited");
    }

    @Override
    public void close() {
        if (!stopped && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
