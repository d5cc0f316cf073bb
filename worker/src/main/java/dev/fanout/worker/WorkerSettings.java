package dev.fanout.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A worker's validated settings; {@link FanoutWorker.Builder} makes them. */
record WorkerSettings(String name, String groupId, WorkerTopics topics, int concurrency, Duration shutdownGracePeriod,
        Map<String, Map<String, RunHandler>> handlersByRepo, Map<String, Object> clientSettings,
        Map<String, Object> serdeSettings) {

    RunHandler handler(String repo, String workflow) {
        Map<String, RunHandler> workflows = handlersByRepo.get(repo);
        return workflows == null ? null : workflows.get(workflow);
    }

    Set<String> repos() {
        return handlersByRepo.keySet();
    }

    Set<String> workflowsOf(String repo) {
        return new TreeSet<>(handlersByRepo.getOrDefault(repo, Map.of()).keySet());
    }
}
