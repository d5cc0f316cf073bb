package dev.fanout.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run attempts this worker has reported as finished, most recent last, bounded: a redelivered trigger
 * found here is not run again. It lives in memory, so it covers redeliveries within one worker process
 * (a rebalance, a retried poll); see docs/workers.md for the guarantee across restarts.
 */
final class ReportedAttempts {

    private final Map<String, Boolean> recent;

    ReportedAttempts(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    static String key(String runId, int attempt) {
        return runId + "#" + attempt;
    }

    synchronized void add(String key) {
        recent.put(key, Boolean.TRUE);
    }

    synchronized boolean contains(String key) {
        return recent.containsKey(key);
    }
}
