package dev.fanout.bench.ceiling;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The records the ceiling writes: 200-byte random values (incompressible, like Avro-encoded payloads with
 * ids and hashes) under short keys spread over 10,000 distinct values, as Fanout's records are keyed by
 * tree or repository. Built before the clock starts, from a small pool, so that the bench measures the
 * broker and the client, not the random number generator or the garbage collector.
 */
final class SyntheticRecords {

    static final int VALUE_BYTES = 200;
    private static final int DISTINCT_KEYS = 10_000;
    private static final int DISTINCT_VALUES = 1_024;

    private final int count;
    private final byte[][] keys = new byte[DISTINCT_KEYS][];
    private final byte[][] values = new byte[DISTINCT_VALUES][];

    SyntheticRecords(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("records is " + count + ": write at least one record");
        }
        this.count = count;
        Random random = new Random(20_261_121L);
        for (int i = 0; i < DISTINCT_KEYS; i++) {
            keys[i] = String.format("tree-%06d", i).getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < DISTINCT_VALUES; i++) {
            values[i] = new byte[VALUE_BYTES];
            random.nextBytes(values[i]);
        }
    }

    int count() {
        return count;
    }

    byte[] key(int i) {
        return keys[i % DISTINCT_KEYS];
    }

    byte[] value(int i) {
        return values[i % DISTINCT_VALUES];
    }

    /** Key and value bytes of all {@link #count()} records: what MB/s counts. */
    long totalBytes() {
        return (long) count * (VALUE_BYTES + keys[0].length);
    }
}
