package dev.fanout.bench.pipeline;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.fanout.app.FanoutApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The topology in a JVM of its own, started by {@link TopologyProcess} with the bench's classpath and a heap
 * cap, so that its heap and RSS are its own and not the broker's. It runs {@link FanoutApp} with the settings
 * in the file named by its argument and answers commands on stdin, one a line, with one line on stdout
 * starting with {@value #PREFIX} (other lines on stdout are logs):
 * <ul>
 *   <li>{@code stats}: CPU time, heap and RSS so far (see {@link Stats});</li>
 *   <li>{@code stop}: closes the topology, answers with the stats and exits.</li>
 * </ul>
 * Heap is measured two ways, both from inside: the largest heap in use after any garbage collection (from the
 * JVM's GC notifications: the live data plus what the collector left for later, so an upper bound of what the
 * topology needs), and the largest heap in use at all, sampled every 20 ms (garbage included, so it tends
 * towards the cap under load). RSS is the kernel's high-water mark, {@code VmHWM} in /proc/self/status.
 */
public final class TopologyMain {

    static final String PREFIX = "@fanout-bench ";

    private static final AtomicLong PEAK_HEAP_USED = new AtomicLong();
    private static final AtomicLong PEAK_HEAP_AFTER_GC = new AtomicLong();
    private static final AtomicLong GC_PAUSE_MILLIS = new AtomicLong();

    private TopologyMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TopologyMain SETTINGS_FILE (Java properties: the topology's settings)");
            System.exit(2);
        }
        PrintStream out = System.out;
        watchGarbageCollections();
        Thread sampler = new Thread(TopologyMain::sampleHeap, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Map<String, Object> settings = new HashMap<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
            properties.load(reader);
        }
        properties.forEach((k, v) -> settings.put((String) k, v));
        FanoutApp app = FanoutApp.start(settings);
        try {
            app.awaitRunning(Duration.ofMinutes(3));
        } catch (Exception e) {
            reply(out, "failed " + e.getMessage().replace('\n', ' '));
            app.close();
            System.exit(1);
        }
        reply(out, "running");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "stats" -> reply(out, "stats " + stats().encode());
                case "stop" -> {
                    app.close();
                    reply(out, "stats " + stats().encode());
                    System.exit(0);
                }
                default -> reply(out, "failed unknown command '" + line + "': use stats or stop");
            }
        }
        app.close(); // the bench went away without saying stop
        System.exit(0);
    }

    private static void reply(PrintStream out, String line) {
        synchronized (out) {
            out.println(PREFIX + line);
            out.flush();
        }
    }

    static Stats stats() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        PEAK_HEAP_USED.accumulateAndGet(heap.getUsed(), Math::max);
        return new Stats(cpu, PEAK_HEAP_USED.get(), PEAK_HEAP_AFTER_GC.get(), heap.getMax(), vmHwm(),
                GC_PAUSE_MILLIS.get());
    }

    private static void sampleHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        while (true) {
            PEAK_HEAP_USED.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void watchGarbageCollections() {
        // A collection reports every memory pool, metaspace and code cache included: count the heap's only.
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long before = heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), heapPools);
                long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc(), heapPools);
                PEAK_HEAP_USED.accumulateAndGet(before, Math::max);
                PEAK_HEAP_AFTER_GC.accumulateAndGet(after, Math::max);
                if (!info.getGcName().contains("Concurrent")) {
                    GC_PAUSE_MILLIS.addAndGet(info.getGcInfo().getDuration());
                }
            }, null, null);
        }
    }

    private static long heapUsed(Map<String, MemoryUsage> pools, java.util.Set<String> heapPools) {
        return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    /** The resident set's high-water mark, in bytes, or -1 where /proc does not say. */
    private static long vmHwm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * What the topology's JVM used so far.
     *
     * @param cpuNanos          CPU time of the whole JVM (all its threads), in nanoseconds
     * @param peakHeapUsed      the most heap in use, garbage included (sampled, and just before each collection)
     * @param peakHeapAfterGc   the most heap still in use after a collection: an upper bound of the live data
     * @param heapMax           the heap cap ({@code -Xmx})
     * @param peakRss           the resident set's high-water mark ({@code VmHWM}), heap and off-heap (RocksDB)
     * @param gcPauseMillis     time spent in stop-the-world collections
     */
    record Stats(long cpuNanos, long peakHeapUsed, long peakHeapAfterGc, long heapMax, long peakRss, long gcPauseMillis) {

        String encode() {
            return cpuNanos + " " + peakHeapUsed + " " + peakHeapAfterGc + " " + heapMax + " " + peakRss + " " + gcPauseMillis;
        }

        static Stats decode(String text) {
            String[] f = text.trim().split(" ");
            if (f.length != 6) {
                throw new IllegalArgumentException("topology stats '" + text + "' do not have 6 fields");
            }
            return new Stats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]));
        }
    }
}
