package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.connect.PostgresServer;
import dev.fanout.local.DevStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout connect} on the local stack with the shipped PostgreSQL and JSON-lines sinks, as the jar's
 * class path meets Debezium's plugin. The shipped files take their settings from ${env:...}, which a test
 * cannot set for its own JVM, so the test runs copies with the values written in.
 */
class ConnectCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_URL = Pattern.compile("status: curl (\\S+)");

    @TempDir
    Path dir;

    @Test
    void theWorkerRunsTheShippedSinksOnTheStackPrintsWhereTheirStatusIsAndStopsWhenInterrupted() throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("stack"), "127.0.0.1", 0, 0, 2));
             PostgresServer postgres = PostgresServer.start()) {
            // Given the shipped sinks, writing into a file of this test and a PostgreSQL server
            Path lines = dir.resolve("tree-done.jsonl");
            Path config = dir.resolve("tree-done-jsonl.properties");
            Files.writeString(config, Files.readString(Path.of("../connectors/tree-done-jsonl.properties"))
                    .replace("${env:FANOUT_TREE_DONE_JSONL}", lines.toString()));
            Path postgresConfig = dir.resolve("tree-done-postgres.properties");
            Files.writeString(postgresConfig, Files.readString(Path.of("../connectors/tree-done-postgres.properties"))
                    .replace("${env:FANOUT_JDBC_URL}", postgres.jdbcUrl())
                    .replace("${env:FANOUT_JDBC_USER}", PostgresServer.USER)
                    .replace("${env:FANOUT_JDBC_PASSWORD}", ""));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            // When fanout connect runs it on the stack
            CompletableFuture<Integer> run = new CompletableFuture<>();
            Thread command = new Thread(() -> run.complete(FanoutCli.execute(new String[] {"connect",
                    "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl(),
                    "--rest-port", "0", "--offsets-file", dir.resolve("connect.offsets").toString(), config.toString(),
                    postgresConfig.toString()},
                    new PrintWriter(out, true), new PrintWriter(err, true))), "fanout-connect-test");
            command.start();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> out.toString().contains("Press Ctrl-C")
                        || run.isDone());
                assertThat(run).as(err.toString()).isNotDone();

                // Then it says where each connector's status is, and there each is running
                Matcher url = STATUS_URL.matcher(out.toString());
                List<String> urls = url.results().map(result -> result.group(1)).toList();
                assertThat(urls).as(out.toString()).hasSize(2);
                assertThat(urls.get(0)).endsWith("/connectors/fanout-tree-done-jsonl/status");
                assertThat(urls.get(1)).endsWith("/connectors/fanout-tree-done-postgres/status");
                for (String statusUrl : urls) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        JsonNode status = JSON.readTree(get(statusUrl));
                        assertThat(status.at("/connector/state").asText()).isEqualTo("RUNNING");
                        assertThat(status.at("/tasks/0/state").asText()).as(status.toString()).isEqualTo("RUNNING");
                    });
                }
                // and a tree run on the stack (an event nobody subscribed to ends at once) becomes a line
                CliRun emit = CliRun.of("emit", "--bootstrap-server", stack.bootstrapServers(), "--schema-registry-url",
                        stack.registryUrl(), "--artifact", "lib-core:release", "--event-type", "published",
                        "--schema-version", "1.0.0", "--event-id", "connect-cli-1");
                assertThat(emit.exitCode()).as(emit.err()).isZero();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Files.exists(lines)
                        ? Files.readAllLines(lines) : List.<String>of()).anySatisfy(line -> {
                            JsonNode done = JSON.readTree(line);
                            assertThat(done.get("tree_id").asText()).isEqualTo("connect-cli-1");
                            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
                            assertThat(done.at("/counts/total").asLong()).isZero();
                        }));
                // and a row in the table
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                         ResultSet row = statement.executeQuery(
                                 "SELECT status, counts_total FROM fanout_tree_done WHERE tree_id = 'connect-cli-1'")) {
                        assertThat(row.next()).isTrue();
                        assertThat(row.getString("status")).isEqualTo("SUCCEEDED");
                        assertThat(row.getLong("counts_total")).isZero();
                    }
                });
            } finally {
                // When it is stopped (as Ctrl-C does)
                command.interrupt();
                command.join(Duration.ofSeconds(60).toMillis());
            }
            // Then it stops cleanly
            assertThat(run).isCompletedWithValue(0);
            assertThat(out.toString()).contains("Stopped.");
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
