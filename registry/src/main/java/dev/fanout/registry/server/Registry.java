package dev.fanout.registry.server;

import dev.fanout.registry.server.AvroSchemas.ParsedSchema;
import dev.fanout.registry.server.StoreRecord.ConfigRecord;
import dev.fanout.registry.server.StoreRecord.DeleteSubjectRecord;
import dev.fanout.registry.server.StoreRecord.SchemaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The registry's rules, as Confluent Schema Registry applies them: global ids deduplicated by schema,
 * versions per subject, soft then permanent deletes, compatibility per subject or globally.
 *
 * <p>Reads use the store's current snapshot. Every change runs under one lock (this process is the only
 * writer) and decides from the snapshot taken inside the lock; the store returns only once the change
 * is in its state, so the next writer decides from a state that includes it. That is what makes eight
 * concurrent registrations of one schema end with one id and one version.
 */
final class Registry {

    private final SchemaStore store;
    private final ReentrantLock writer = new ReentrantLock();

    Registry(SchemaStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    List<String> subjects(boolean includeDeleted) {
        return store.state().subjects(includeDeleted);
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<SchemaValue> versions = store.state().versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(SchemaValue::version).toList();
    }

    SchemaValue version(String subject, VersionId versionId, boolean includeDeleted) {
        RegistryState state = store.state();
        List<SchemaValue> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (versionId.isLatest()) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.version() == versionId.number()).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(versionId.number()));
    }

    /** Registers the schema under the subject, or finds it there already; returns its global id. */
    int register(String subject, SchemaRequest request) {
        RegistryState snapshot = store.state();
        ParsedSchema parsed = AvroSchemas.parse(subject, request, snapshot::version);
        List<SchemaReference> references = request.references();
        Optional<SchemaValue> existing = liveVersionOf(snapshot, subject, parsed, references);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        return underWriteLock(() -> {
            RegistryState state = store.state();
            Optional<SchemaValue> registeredMeanwhile = liveVersionOf(state, subject, parsed, references);
            if (registeredMeanwhile.isPresent()) {
                return registeredMeanwhile.get().id();
            }
            List<String> reasons = CompatibilityChecker.incompatibilities(state.effectiveLevel(subject),
                    parsed.schema(), state.versions(subject, false), state::version);
            if (!reasons.isEmpty()) {
                throw RegistryError.incompatibleSchema(subject, reasons);
            }
            int id = state.idOf(parsed.canonical(), references).orElse(state.maxId() + 1);
            int version = state.highestVersion(subject) + 1;
            store.write(List.of(new SchemaRecord(subject, version,
                    SchemaValue.avro(subject, version, id, parsed.canonical(), references))));
            return id;
        });
    }

    /** The subject's version holding this schema (the latest such version). */
    SchemaValue lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        RegistryState state = store.state();
        if (!state.hasSubject(subject, includeDeleted)) {
            throw RegistryError.subjectNotFound(subject);
        }
        ParsedSchema parsed = AvroSchemas.parse(subject, request, state::version);
        List<SchemaValue> versions = state.versions(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).holds(parsed.canonical(), request.references())) {
                return versions.get(i);
            }
        }
        throw RegistryError.schemaNotFound();
    }

    /**
     * Soft-deletes every live version of the subject, or, when permanent, removes the versions that were
     * soft-deleted before (Confluent refuses a permanent delete of live versions).
     *
     * @return the versions deleted
     */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        return underWriteLock(() -> {
            RegistryState state = store.state();
            List<SchemaValue> all = state.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            List<SchemaValue> live = state.versions(subject, false);
            for (SchemaValue version : all) {
                refuseIfReferenced(state, version);
            }
            if (!permanent) {
                if (live.isEmpty()) {
                    throw RegistryError.subjectSoftDeleted(subject);
                }
                int lastLive = live.get(live.size() - 1).version();
                store.write(List.of(new DeleteSubjectRecord(subject, lastLive)));
                return live.stream().map(SchemaValue::version).toList();
            }
            if (!live.isEmpty()) {
                throw RegistryError.subjectNotSoftDeleted(subject);
            }
            List<StoreRecord> tombstones = new ArrayList<>();
            all.forEach(v -> tombstones.add(new SchemaRecord(subject, v.version(), null)));
            if (state.subjectLevel(subject).isPresent()) {
                tombstones.add(new ConfigRecord(subject, null));
            }
            store.write(tombstones);
            return all.stream().map(SchemaValue::version).toList();
        });
    }

    /** Soft-deletes one version, or permanently removes one soft-deleted before; returns its number. */
    int deleteVersion(String subject, VersionId versionId, boolean permanent) {
        return underWriteLock(() -> {
            RegistryState state = store.state();
            SchemaValue target = versionToDelete(state, subject, versionId, permanent);
            refuseIfReferenced(state, target);
            if (!permanent) {
                if (target.deleted()) {
                    throw RegistryError.versionSoftDeleted(subject, target.version());
                }
                store.write(List.of(new SchemaRecord(subject, target.version(), target.softDeleted())));
            } else {
                if (!target.deleted()) {
                    throw RegistryError.versionNotSoftDeleted(subject, target.version());
                }
                store.write(List.of(new SchemaRecord(subject, target.version(), null)));
            }
            return target.version();
        });
    }

    /** The schema with this id, even if every version holding it is soft-deleted. */
    SchemaValue schemaById(int id) {
        return store.state().valueById(id).orElseThrow(() -> RegistryError.schemaNotFound(id));
    }

    /** The ids of the schemas whose live versions reference this version of the subject. */
    List<Integer> referencedBy(String subject, VersionId versionId) {
        return store.state().referencedBy(subject, version(subject, versionId, false).version());
    }

    List<SchemaValue> versionsWithId(int id, boolean includeDeleted) {
        RegistryState state = store.state();
        if (state.schemaById(id).isEmpty()) {
            throw RegistryError.schemaNotFound(id);
        }
        return state.versionsWithId(id, includeDeleted);
    }

    /**
     * Checks the schema against one version of the subject, or, for {@code latest}, against the versions
     * the subject's compatibility level names, as registering would.
     *
     * @return the reasons it is incompatible; empty if compatible
     */
    List<String> testCompatibility(String subject, VersionId versionId, SchemaRequest request) {
        RegistryState state = store.state();
        ParsedSchema parsed = AvroSchemas.parse(subject, request, state::version);
        List<SchemaValue> against = state.versions(subject, false);
        if (!versionId.isLatest()) {
            against = against.stream().filter(v -> v.version() == versionId.number()).toList();
            if (against.isEmpty()) {
                throw RegistryError.versionNotFound(versionId.number());
            }
        }
        return CompatibilityChecker.incompatibilities(state.effectiveLevel(subject), parsed.schema(), against,
                state::version);
    }

    CompatibilityLevel globalLevel() {
        return store.state().globalLevel();
    }

    /** The subject's own level, or the global one when asked to fall back to it. */
    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        RegistryState state = store.state();
        Optional<CompatibilityLevel> own = state.subjectLevel(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return state.globalLevel();
        }
        throw RegistryError.subjectCompatibilityNotConfigured(subject);
    }

    /** Sets the level of one subject, or the global level when the subject is null. */
    void setLevel(String subject, CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        underWriteLock(() -> {
            store.write(List.of(new ConfigRecord(subject, level)));
            return null;
        });
    }

    /** Removes the subject's own level (it falls back to the global one); returns what it was. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        return underWriteLock(() -> {
            CompatibilityLevel current = store.state().subjectLevel(subject)
                    .orElseThrow(() -> RegistryError.subjectNotFound(subject));
            store.write(List.of(new ConfigRecord(subject, null)));
            return current;
        });
    }

    /** Resets the global level to the default; returns what it was. */
    CompatibilityLevel deleteGlobalLevel() {
        return underWriteLock(() -> {
            CompatibilityLevel current = store.state().globalLevel();
            store.write(List.of(new ConfigRecord(null, null)));
            return current;
        });
    }

    private static Optional<SchemaValue> liveVersionOf(RegistryState state, String subject, ParsedSchema parsed,
            List<SchemaReference> references) {
        return state.versions(subject, false).stream()
                .filter(v -> v.holds(parsed.canonical(), references))
                .findFirst();
    }

    /** A version that a live schema references cannot be deleted: that schema would no longer parse. */
    private static void refuseIfReferenced(RegistryState state, SchemaValue version) {
        List<Integer> referrers = state.referencedBy(version.subject(), version.version());
        if (!referrers.isEmpty()) {
            throw RegistryError.referenceExists(version.subject(), version.version(), referrers);
        }
    }

    private static SchemaValue versionToDelete(RegistryState state, String subject, VersionId versionId,
            boolean permanent) {
        List<SchemaValue> candidates = state.versions(subject, true);
        if (candidates.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (versionId.isLatest()) {
            // A soft delete of "latest" means the latest live version; a permanent one, the latest at all.
            List<SchemaValue> pool = permanent ? candidates : state.versions(subject, false);
            if (pool.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            return pool.get(pool.size() - 1);
        }
        return state.version(subject, versionId.number())
                .orElseThrow(() -> RegistryError.versionNotFound(versionId.number()));
    }

    private <T> T underWriteLock(Supplier<T> change) {
        writer.lock();
        try {
            return change.get();
        } finally {
            writer.unlock();
        }
    }
}
