package dev.fanout.connect.worker;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect worker (Connect's standalone herder, REST API included) in this JVM, for
 * {@code fanout connect} and the integration tests. Sink connectors keep their offsets in Kafka, in the
 * consumer group {@code connect-NAME}, so a worker started again with the same connector resumes where
 * the last one committed.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final long CONFIG_TIMEOUT_SECONDS = 60;

    private final Connect<StandaloneHerder> connect;

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Starts a worker with these worker settings ({@link ConnectWorkerSettings} builds the usual ones). */
    public static ConnectWorker start(Map<String, String> workerSettings) {
        Objects.requireNonNull(workerSettings, "workerSettings");
        // Connect swaps the calling thread's context class loader for its plugin loader, as its own main
        // thread can afford; an embedding caller gets its own back.
        Thread caller = Thread.currentThread();
        ClassLoader callersLoader = caller.getContextClassLoader();
        try {
            return new ConnectWorker(new ConnectStandalone().startConnect(new LinkedHashMap<>(workerSettings)));
        } finally {
            caller.setContextClassLoader(callersLoader);
        }
    }

    /**
     * Creates or replaces a connector ({@code name} is one of its settings) and returns once the worker has
     * accepted it; the connector starts in the background.
     *
     * @throws IllegalArgumentException naming the connector and Connect's reason when it refuses the settings
     */
    public ConnectorInfo putConnector(Map<String, String> connectorSettings) {
        String name = Objects.requireNonNull(connectorSettings.get("name"),
                "connector settings have no name: add name=... to the connector's properties");
        FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<ConnectorInfo>> callback = new FutureCallback<>();
        connect.herder().putConnectorConfig(name, Map.copyOf(connectorSettings), true, callback);
        try {
            return callback.get(CONFIG_TIMEOUT_SECONDS, TimeUnit.SECONDS).result();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("connector " + name + ": Connect refused its settings: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("connector " + name + ": the worker did not accept it within "
                    + CONFIG_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating connector " + name, e);
        }
    }

    /** The connector's and its tasks' states, as {@code GET /connectors/NAME/status} shows them. */
    public Optional<ConnectorStateInfo> status(String name) {
        try {
            return Optional.of(connect.herder().connectorStatus(name));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The base URL of the worker's REST API, such as {@code http://127.0.0.1:8083/}. */
    public URI restUrl() {
        return connect.rest().serverUrl();
    }

    /** The address where a connector's status can be read. */
    public URI statusUrl(String name) {
        return restUrl().resolve("connectors/" + name + "/status");
    }

    /** Stops the connectors (their tasks commit their offsets) and the worker. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
