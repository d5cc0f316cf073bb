package dev.fanout.worker;

/** The topics a worker uses, named from the installation's topic prefix (default {@code fanout.}). */
record WorkerTopics(String triggers, String runStatus, String artifactEvents, String fanOutDone,
        String runCancellations) {

    static WorkerTopics withPrefix(String prefix) {
        return new WorkerTopics(prefix + "triggers", prefix + "run-status", prefix + "artifact-events",
                prefix + "fanout-done", prefix + "run-cancellations");
    }

    String[] all() {
        return new String[] {triggers, runStatus, artifactEvents, fanOutDone, runCancellations};
    }
}
