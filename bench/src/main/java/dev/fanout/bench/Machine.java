package dev.fanout.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The machine the figures were taken on; a benchmark figure means nothing without it.
 *
 * @param loadAverage 1-minute load average when the bench started, negative if the OS does not say
 */
public record Machine(int cores, long memoryBytes, long maxHeapBytes, String java, String os, double loadAverage) {

    public static Machine current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        return new Machine(Runtime.getRuntime().availableProcessors(), memory, Runtime.getRuntime().maxMemory(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                os.getName() + " " + os.getVersion() + " " + os.getArch(), loadAverageNow());
    }

    private static double loadAverageNow() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
