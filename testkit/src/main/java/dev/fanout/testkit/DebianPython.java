package dev.fanout.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Python ({@code /usr/bin/python3}) with packages from Debian, for the tests that drive Fanout
 * from a client outside the JVM. {@code .ci/run} installs the packages.
 */
public final class DebianPython {

    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /** What a script printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    private DebianPython() {
    }

    /**
     * Fails in CI ({@code CI=true}), skips elsewhere, unless Debian's Python imports the modules.
     *
     * @param modules Python modules, such as {@code confluent_kafka}
     * @param packages the Debian packages that provide them, for the message
     */
    public static void require(List<String> modules, List<String> packages) {
        boolean installed;
        try {
            installed = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
                    "import " + String.join(", ", modules)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            installed = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for Python's modules", e);
        }
        String missing = PYTHON + " with the modules " + modules + " is needed; install them with 'apt-get install -y "
                + String.join(" ", packages) + "' (.ci/run does)";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(installed, missing);
    }

    /** Runs a script with arguments; fails the test if it has not ended within {@code patience}. */
    public static Result run(Duration patience, Path script, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-B", script.toString()));
        command.addAll(args);
        Path log = Files.createTempFile("python-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(script.getFileName() + " did not end within " + patience + ": " + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
