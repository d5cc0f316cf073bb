package dev.fanout.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server started as a process from the system's binaries (Debian's {@code postgresql}
 * package; {@code .ci/run} installs it), in a fresh data directory, on 127.0.0.1 and a free port, trusting
 * local connections. PostgreSQL refuses to run as root, so under root it runs as {@code nobody}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "fanout";
    private static final String RUN_AS = "nobody";

    private final Path binDir;
    private final Path dataDir;
    private final int port;

    private PostgresServer(Path binDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        Path binDir = binDir();
        Path home = Files.createTempDirectory("fanout-postgres");
        Path dataDir = home.resolve("data");
        if (isRoot()) {
            UserPrincipal nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
            Files.setOwner(home, nobody);
        }
        int port = freePort();
        PostgresServer server = new PostgresServer(binDir, dataDir, port);
        server.run(home, "initdb", "-D", dataDir.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync");
        server.run(home, "pg_ctl", "-D", dataDir.toString(), "-l", home.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(dataDir.getParent(), "pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "stop");
        } finally {
            deleteRecursively(dataDir.getParent());
        }
    }

    private void run(Path workDir, String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        command.add(binDir.resolve(program).toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("fanout-postgres-" + program, ".log");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish within 90 s: " + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** $FANOUT_PG_BIN, or the newest /usr/lib/postgresql/N/bin with an initdb. */
    private static Path binDir() throws IOException {
        String configured = System.getenv("FANOUT_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                        .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                        .orElseThrow(() -> missing(installed));
            }
        }
        throw missing(installed);
    }

    private static IllegalStateException missing(Path installed) {
        return new IllegalStateException("no PostgreSQL server binaries under " + installed + ": install Debian's "
                + "postgresql package (apt-get install postgresql; .ci/run does) or set FANOUT_PG_BIN to the "
                + "directory holding initdb and pg_ctl");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
