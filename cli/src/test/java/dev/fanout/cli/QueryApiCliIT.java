package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.local.DevStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The query API as the commands start it: {@code fanout dev} on its HTTP port, and two {@code fanout run}
 * instances on one machine, told apart by {@code fanout.http.port} and {@code state.dir} in their config.
 */
class QueryApiCliIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theDevStackServesTheQueryApiOnItsHttpPort() throws Exception {
        int port = freePort();
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("data"), "127.0.0.1", 0, 0, 2, port))) {
            assertThat(stack.apiUrl()).contains("http://127.0.0.1:" + port);
            // Running once, the topology can still rebalance (its second thread joining late on a loaded
            // machine), and /readyz says so with a 503 until it is running again.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> get("http://127.0.0.1:" + port + "/readyz").statusCode() == 200);
            HttpResponse<String> trees = get("http://127.0.0.1:" + port + "/api/trees");
            assertThat(trees.statusCode()).isEqualTo(200);
            assertThat(trees.body()).isEqualTo("{\"trees\":[]}");
        }
    }

    @Test
    void twoRunInstancesOnOneMachineDifferByHttpPortAndStateDir() throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("data"), "127.0.0.1", 0, 0, 2, -1))) {
            assertThat(stack.apiUrl()).isEmpty();
            List<RunCommand> commands = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            List<Integer> ports = List.of(freePort(), freePort());
            List<StringWriter> outputs = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Path config = dir.resolve("instance-" + i + ".properties");
                    Files.writeString(config, "application.id=fanout-run-it\n"
                            + "fanout.http.host=127.0.0.1\n"
                            + "fanout.http.port=" + ports.get(i) + "\n"
                            + "state.dir=" + dir.resolve("state-" + i).toString().replace("\\", "/") + "\n");
                    RunCommand command = new RunCommand();
                    StringWriter out = new StringWriter();
                    CommandLine line = new CommandLine(command).setOut(new PrintWriter(out, true))
                            .setErr(new PrintWriter(new StringWriter(), true));
                    Thread thread = new Thread(() -> line.execute("--config", config.toString(),
                            "--bootstrap-server", stack.bootstrapServers(),
                            "--schema-registry-url", stack.registryUrl()), "fanout-run-" + i);
                    thread.start();
                    commands.add(command);
                    threads.add(thread);
                    outputs.add(out);
                }

                // Then each serves the API on the port of its config, and says where
                for (int i = 0; i < 2; i++) {
                    String base = "http://127.0.0.1:" + ports.get(i);
                    int instance = i;
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                            .until(() -> outputs.get(instance).toString().contains("Fanout is running"));
                    assertThat(outputs.get(i).toString()).contains("Query API on " + base + "/api/trees");
                    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                            .until(() -> status(base + "/readyz") == 200);
                    assertThat(get(base + "/api/trees?status=all").statusCode()).isEqualTo(200);
                }
            } finally {
                commands.forEach(command -> command.stop.countDown());
                for (Thread thread : threads) {
                    thread.join(PATIENCE.toMillis());
                }
            }
            assertThat(outputs).allSatisfy(out -> assertThat(out.toString()).contains("Stopped."));
        }
    }

    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
