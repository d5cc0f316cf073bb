package dev.fanout.bench;

import java.lang.management.ManagementFactory;

/**
 * Measures {@link CpuShare} over an interval. The JDK's CPU loads are computed from the OS counters since
 * the previous call, so a call at the start resets them and a call at the end covers exactly the run;
 * that is more telling than the load average, which lags by a minute and counts the bench itself.
 */
final class CpuWatch {

    private final com.sun.management.OperatingSystemMXBean os;

    private CpuWatch(com.sun.management.OperatingSystemMXBean os) {
        this.os = os;
    }

    static CpuWatch start() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            os.getCpuLoad();
            os.getProcessCpuLoad();
            return new CpuWatch(os);
        }
        return new CpuWatch(null);
    }

    CpuShare stop() {
        return stop(0, 1);
    }

    /**
     * @param childCpuNanos CPU time the bench's own child processes (the topology's JVM) used meanwhile: the
     *                      bench's, not other processes', although the OS counts it outside this JVM
     * @param elapsedNanos  how long the interval was
     */
    CpuShare stop(long childCpuNanos, long elapsedNanos) {
        if (os == null) {
            return CpuShare.UNKNOWN;
        }
        double system = os.getCpuLoad();
        double process = os.getProcessCpuLoad();
        if (system < 0 || process < 0) {
            return CpuShare.UNKNOWN;
        }
        double child = Math.min(Math.max(0, system - process),
                childCpuNanos / ((double) elapsedNanos * os.getAvailableProcessors()));
        return new CpuShare(process + child, Math.max(0, system - process - child));
    }
}
