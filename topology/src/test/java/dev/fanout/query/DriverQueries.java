package dev.fanout.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.admission.QuotaPositions;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The query API over a {@link FanoutDriver}'s stores: one partition, always local, with the driver's
 * wall clock, so the routes and the read model are tested on the production topology without a broker.
 * Cancel requests are kept in a list instead of being produced ({@link #cancelRequests}); the ITs produce
 * them to a real topic.
 */
final class DriverQueries implements TreeLocator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FanoutDriver fanout;
    private final QueryApi api;
    private final List<TreeCancel> cancelRequests = new ArrayList<>();
    private boolean rebalancing;

    DriverQueries(FanoutDriver fanout) {
        this(fanout, QueryApi.WEB_ROOT);
    }

    /** @param webRoot where the web page's files are on the classpath */
    DriverQueries(FanoutDriver fanout, String webRoot) {
        this.fanout = fanout;
        this.api = new QueryApi(this, new Forwarder(), () -> "# no metrics in the test driver\n",
                () -> fanout.now().toEpochMilli(), cancelRequests::add, webRoot);
    }

    /** The routes themselves, to serve over a real {@link QueryServer}. */
    QueryApi api() {
        return api;
    }

    /** From now on, answer as an instance during a rebalance: no owner known, not ready. */
    void rebalancing(boolean rebalancing) {
        this.rebalancing = rebalancing;
    }

    /** GET {@code pathAndQuery} (raw, percent-encoded as a client sends it). */
    ApiResponse get(String pathAndQuery) {
        return send("GET", pathAndQuery);
    }

    /** The cancel requests the API sent, in order. */
    List<TreeCancel> cancelRequests() {
        return cancelRequests;
    }

    /** POST {@code pathAndQuery} with {@code body} (null: none). */
    ApiResponse post(String pathAndQuery, String body) {
        return send("POST", pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse send(String method, String pathAndQuery) {
        return send(method, pathAndQuery, null);
    }

    ApiResponse send(String method, String pathAndQuery, byte[] body) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String rawQuery = question < 0 ? null : pathAndQuery.substring(question + 1);
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return api.handle(new ApiRequest(method, path, query, rawQuery, false, body));
    }

    /** The body of a 200 answer as JSON. */
    JsonNode json(String pathAndQuery) {
        ApiResponse response = get(pathAndQuery);
        if (response.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + response.status() + ": " + response.text());
        }
        return parse(response);
    }

    static JsonNode parse(ApiResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Owner ownerOf(String treeId) {
        requireAssigned();
        return new Local(stores());
    }

    @Override
    public List<TreeStores> localPartitions() {
        requireAssigned();
        return List.of(stores());
    }

    @Override
    public RepoOwner ownerOfRepo(String repo) {
        requireAssigned();
        return new LocalQuota(quotas());
    }

    @Override
    public List<QuotaPositions> localAdmissionPartitions() {
        requireAssigned();
        return List.of(quotas());
    }

    /** The admission stage's stores of the driver's one partition. */
    QuotaPositions quotas() {
        TopologyTestDriver driver = fanout.driver();
        return new QuotaPositions(driver.getKeyValueStore(TopologyNames.ADMISSION_REPOS),
                driver.getKeyValueStore(TopologyNames.ADMISSION_RUNS),
                driver.getKeyValueStore(TopologyNames.ADMISSION_TREE_QUEUES),
                driver.getKeyValueStore(TopologyNames.ADMISSION_WAITING),
                driver.getKeyValueStore(TopologyNames.ADMISSION_ROTATION));
    }

    @Override
    public List<String> otherInstances() {
        return List.of();
    }

    @Override
    public boolean ready() {
        return !rebalancing;
    }

    @Override
    public String state() {
        return rebalancing ? "REBALANCING" : "RUNNING";
    }

    private void requireAssigned() {
        if (rebalancing) {
            throw ApiError.unavailable("the partitions are being assigned (test); retry in a moment");
        }
    }

    TreeStores stores() {
        TopologyTestDriver driver = fanout.driver();
        return new TreeStores() {
            @Override
            public ReadOnlyKeyValueStore<String, TreeNode> trees() {
                return driver.getKeyValueStore(TopologyNames.TREE_TREES);
            }

            @Override
            public ReadOnlyKeyValueStore<String, FanOutNode> fanOuts() {
                return driver.getKeyValueStore(TopologyNames.TREE_FAN_OUTS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, RunNode> runs() {
                return driver.getKeyValueStore(TopologyNames.TREE_RUNS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, String> children() {
                return driver.getKeyValueStore(TopologyNames.TREE_CHILDREN);
            }

            @Override
            public ReadOnlyKeyValueStore<String, String> childFanOuts() {
                return driver.getKeyValueStore(TopologyNames.TREE_CHILD_FAN_OUTS);
            }

            @Override
            public ReadOnlyKeyValueStore<String, String> treesByStart() {
                return driver.getKeyValueStore(TopologyNames.TREE_TREES_BY_START);
            }
        };
    }
}
