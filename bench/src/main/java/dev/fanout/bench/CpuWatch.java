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
        if (os == null) {
            return CpuShare.UNKNOWN;
        }
        double system = os.getCpuLoad();
        double process = os.getProcessCpuLoad();
        if (system < 0 || process < 0) {
            return CpuShare.UNKNOWN;
        }
        return new CpuShare(process, Math.max(0, system - process));
    }
}
