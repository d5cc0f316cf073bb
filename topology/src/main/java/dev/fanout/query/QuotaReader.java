package dev.fanout.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.admission.QuotaPositions;
import dev.fanout.admission.QuotaPositions.RepoQuota;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * A repository's quota ({@code GET /api/repos/{repo}/quota}) and the {@code quota} of the runs of a node page
 * that wait in {@code QUOTA_WAIT}: how many are in flight, waiting, and ahead of each run.
 *
 * <p>Why it is asked for by repository, not kept beside the runs: the admission stage is keyed by repository,
 * so a repository's queue usually lives on another partition, often another instance, than the trees of its
 * runs; and a run's place in it changes with every grant to any tree of the repository. Keeping the place
 * in the tree's stores would cost a message to every waiting run's tree at each grant. So the node page's
 * owner asks the repository's admission partition, located like a tree ({@link TreeLocator#ownerOfRepo},
 * Kafka Streams' metadata for the key on store {@code admission.repos}) and read there, or forwarded to
 * the instance that owns it: one question per repository on the page, for all its waiting runs at once.
 *
 * <p>The quota is a detail of the page: when the repository's partition cannot be read now (the instances
 * are rebalancing), the page is still answered, and the quota's numbers are {@code null}.
 */
final class QuotaReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REPOS = "/api/repos/";
    static final String QUOTA = "/quota";

    private final TreeLocator locator;
    private final Forwarder forwarder;

    QuotaReader(TreeLocator locator, Forwarder forwarder) {
        this.locator = Objects.requireNonNull(locator, "locator");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    }

    /**
     * The answer of {@code GET /api/repos/{repo}/quota?runs=...}, read here or on the instance that owns the
     * repository's admission partition; a request that was forwarded here must find it here.
     */
    Map<String, Object> read(String repo, List<String> runIds, boolean forwarded) {
        TreeLocator.RepoOwner owner = locator.ownerOfRepo(repo);
        if (owner instanceof TreeLocator.LocalQuota local) {
            return json(local.quotas().of(repo, runIds));
        }
        String baseUrl = ((TreeLocator.Remote) owner).baseUrl();
        if (forwarded) {
            throw ApiError.unavailable("the quota of repository '" + repo + "' was asked here, but this instance sees "
                    + baseUrl + " as its owner (the instances are rebalancing); retry in a moment");
        }
        String path = path(repo, runIds);
        ApiResponse response = forwarder.get(baseUrl, path);
        if (response.status() != 200) {
            throw ApiError.unavailable("instance " + baseUrl + ", which holds the quota of repository '" + repo
                    + "', answered " + response.status() + " to " + path + ": " + response.text() + "; retry in a moment");
        }
        try {
            return JSON.readValue(response.body(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw ApiError.internal("instance " + baseUrl + " answered " + path + " with something that is not a "
                    + "repository's quota: " + e.getMessage() + "; are all instances the same version?");
        }
    }

    /** Sets the {@code quota} of every node of the page in {@code QUOTA_WAIT}: one question per repository. */
    void fill(List<Map<String, Object>> nodes) {
        Map<String, List<Map<String, Object>>> waitingByRepo = new LinkedHashMap<>();
        for (Map<String, Object> node : nodes) {
            if ("QUOTA_WAIT".equals(node.get("status"))) {
                waitingByRepo.computeIfAbsent((String) node.get("repo"), repo -> new ArrayList<>()).add(node);
            }
        }
        for (Map.Entry<String, List<Map<String, Object>>> repo : waitingByRepo.entrySet()) {
            List<String> runIds = repo.getValue().stream().map(node -> (String) node.get("run_id")).toList();
            Map<String, Object> quota = readOrNothing(repo.getKey(), runIds);
            Map<String, Object> ahead = new LinkedHashMap<>();
            if (quota.get("runs") instanceof List<?> runs) {
                for (Object run : runs) {
                    Map<?, ?> entry = (Map<?, ?>) run;
                    ahead.put((String) entry.get("run_id"), entry.get("ahead"));
                }
            }
            for (Map<String, Object> node : repo.getValue()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("repo", repo.getKey());
                json.put("max_in_flight", quota.get("max_in_flight"));
                json.put("in_flight", quota.get("in_flight"));
                json.put("waiting", quota.get("waiting"));
                json.put("ahead", ahead.get((String) node.get("run_id")));
                node.put("quota", json);
            }
        }
    }

    private Map<String, Object> readOrNothing(String repo, List<String> runIds) {
        try {
            return read(repo, runIds, false);
        } catch (ApiError e) {
            if (e.status() != 503) {
                throw e;
            }
            return Map.of();
        } catch (InvalidStateStoreException e) {
            return Map.of();
        }
    }

    static Map<String, Object> json(RepoQuota quota) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("repo", quota.repo());
        json.put("max_in_flight", quota.maxInFlight());
        json.put("in_flight", quota.inFlight());
        json.put("waiting", quota.waiting());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Map.Entry<String, Long> run : quota.ahead().entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("run_id", run.getKey());
            entry.put("ahead", run.getValue());
            runs.add(entry);
        }
        json.put("runs", runs);
        return json;
    }

    static String path(String repo, Collection<String> runIds) {
        String path = REPOS + URLEncoder.encode(repo, StandardCharsets.UTF_8).replace("+", "%20") + QUOTA;
        return runIds.isEmpty() ? path : path + "?runs=" + String.join(",", runIds);
    }

    /** Every repository of this instance's admission partitions, for {@code /metrics}. */
    static List<RepoQuota> local(TreeLocator locator) {
        List<RepoQuota> all = new ArrayList<>();
        for (QuotaPositions partition : locator.localAdmissionPartitions()) {
            all.addAll(partition.all());
        }
        return all;
    }
}
