package dev.fanout.bench.ceiling;

/** So many records and bytes moved in so many nanoseconds. */
record Throughput(long records, long bytes, long nanos) {

    Throughput {
        if (records <= 0 || nanos <= 0) {
            throw new IllegalArgumentException("no throughput from " + records + " records in " + nanos + " ns");
        }
    }

    double recordsPerSecond() {
        return records * 1e9 / nanos;
    }

    /** Decimal megabytes (10^6 bytes) of keys and values per second. */
    double megabytesPerSecond() {
        return bytes * 1e3 / nanos;
    }
}
