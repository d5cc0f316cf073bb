package dev.fanout.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fanout's topology in a child JVM ({@link FanoutChildMain}), started with this JVM's java and class
 * path, so that a test can kill it as an operating system would: no close, no commit, no leaving the
 * group. Its output goes to a log file ({@link #logFile}).
 */
final class ChildFanout implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildFanout(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A fresh log file under {@code target/child-fanout/}, kept after the build to tell what a child did. */
    static Path logFile(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "child-fanout"));
        Path log = dir.resolve(name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    /** Starts the topology with {@code settings} and waits until it runs. */
    static ChildFanout start(Map<String, ?> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("this JVM does not know its java command")));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FanoutChildMain.class.getName());
        settings.forEach((key, value) -> command.add(key + "=" + value));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildFanout child = new ChildFanout(process, log);
        try {
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(child::isRunning);
        } catch (RuntimeException e) {
            child.close();
            throw new IllegalStateException("the child Fanout did not start; its log:\n" + Files.readString(log), e);
        }
        return child;
    }

    private boolean isRunning() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the child Fanout exited with " + process.exitValue());
        }
        return Files.readString(log).contains(FanoutChildMain.RUNNING);
    }

    /** Kills the JVM at once (SIGKILL) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child Fanout " + process.pid() + " survived a kill");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
