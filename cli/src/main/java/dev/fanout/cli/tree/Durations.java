package dev.fanout.cli.tree;

/** Durations as people read them: {@code 850 ms}, {@code 3.2 s}, {@code 4 min 05 s}, {@code 2 h 03 min}. */
public final class Durations {

    private Durations() {
    }

    public static String format(Long millis) {
        if (millis == null) {
            return "-";
        }
        long ms = Math.max(0, millis);
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long seconds = ms / 1000;
        if (seconds < 3600) {
            return String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }
}
