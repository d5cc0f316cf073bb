package dev.fanout.registry.server;

import java.util.Objects;

/**
 * The records of the schemas topic the registry reads and writes, after Confluent's KafkaStore: the
 * key says what a record is about ({@code keytype}), a null value is a tombstone. Keys that Confluent
 * writes but this registry has no use for (modes, contexts) are skipped when read.
 */
sealed interface StoreRecord {

    /** A subject's version; a null value deletes it permanently. */
    record SchemaRecord(String subject, int version, SchemaValue value) implements StoreRecord {
        public SchemaRecord {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** A compatibility level, global when the subject is null; a null level removes the setting. */
    record ConfigRecord(String subject, CompatibilityLevel level) implements StoreRecord {
    }

    /** Soft-deletes every version of the subject up to and including {@code version}. */
    record DeleteSubjectRecord(String subject, int version) implements StoreRecord {
        public DeleteSubjectRecord {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** Changes nothing: written to learn the topic's end offset, so a reader knows it has caught up. */
    record NoopRecord() implements StoreRecord {
    }
}
