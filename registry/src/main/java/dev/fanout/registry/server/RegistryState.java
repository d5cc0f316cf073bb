package dev.fanout.registry.server;

import dev.fanout.registry.server.StoreRecord.ConfigRecord;
import dev.fanout.registry.server.StoreRecord.DeleteSubjectRecord;
import dev.fanout.registry.server.StoreRecord.SchemaRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the registry knows, as of some offset of the schemas topic: an immutable snapshot, so that
 * requests read a consistent state without locks while the topic reader builds the next one.
 *
 * <p>Subjects keep every version still in the topic, soft-deleted ones included, because a soft-deleted
 * schema's id must keep resolving for the consumers of data written with it.
 */
final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    static final RegistryState EMPTY = new RegistryState(Collections.emptyNavigableMap(), Map.of(), null, 0);

    private final NavigableMap<String, NavigableMap<Integer, SchemaValue>> subjects;
    private final Map<String, CompatibilityLevel> subjectLevels;
    private final CompatibilityLevel globalLevel;
    private final int maxId;
    private final Map<Integer, SchemaValue> schemaById = new HashMap<>();
    private final Map<SchemaIdentity, Integer> idBySchema = new HashMap<>();

    /** What makes two schemas one, and gives them one id: the same text, using the same references. */
    private record SchemaIdentity(String schema, List<SchemaReference> references) {
    }

    private RegistryState(NavigableMap<String, NavigableMap<Integer, SchemaValue>> subjects,
            Map<String, CompatibilityLevel> subjectLevels, CompatibilityLevel globalLevel, int maxId) {
        this.subjects = subjects;
        this.subjectLevels = subjectLevels;
        this.globalLevel = globalLevel;
        this.maxId = maxId;
        for (NavigableMap<Integer, SchemaValue> versions : subjects.values()) {
            for (SchemaValue value : versions.values()) {
                schemaById.put(value.id(), value);
                idBySchema.put(new SchemaIdentity(value.schema(), value.references()), value.id());
            }
        }
    }

    /** Subject names in order; a subject whose versions are all soft-deleted only when asked for. */
    List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        for (String subject : subjects.keySet()) {
            if (hasSubject(subject, includeDeleted)) {
                names.add(subject);
            }
        }
        return names;
    }

    boolean hasSubject(String subject, boolean includeDeleted) {
        return !versions(subject, includeDeleted).isEmpty();
    }

    /** The subject's versions, oldest first. */
    List<SchemaValue> versions(String subject, boolean includeDeleted) {
        List<SchemaValue> found = new ArrayList<>();
        for (SchemaValue value : subjects.getOrDefault(subject, Collections.emptyNavigableMap()).values()) {
            if (includeDeleted || !value.deleted()) {
                found.add(value);
            }
        }
        return found;
    }

    /** A version of the subject, soft-deleted or not. */
    Optional<SchemaValue> version(String subject, int version) {
        return Optional.ofNullable(subjects.getOrDefault(subject, Collections.emptyNavigableMap()).get(version));
    }

    /** The highest version number the subject has used, soft-deleted versions included; 0 if none. */
    int highestVersion(String subject) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        return versions == null ? 0 : versions.lastKey();
    }

    Optional<String> schemaById(int id) {
        return valueById(id).map(SchemaValue::schema);
    }

    /** A version holding the schema with this id (any one: they all hold the same schema and references). */
    Optional<SchemaValue> valueById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    Optional<Integer> idOf(String canonicalSchema) {
        return idOf(canonicalSchema, List.of());
    }

    Optional<Integer> idOf(String canonicalSchema, List<SchemaReference> references) {
        return Optional.ofNullable(idBySchema.get(new SchemaIdentity(canonicalSchema, references)));
    }

    /** The ids of the schemas of live versions that reference this version of the subject, in order. */
    List<Integer> referencedBy(String subject, int version) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (String other : subjects.keySet()) {
            for (SchemaValue value : versions(other, false)) {
                if (value.references().stream().anyMatch(r -> r.refersTo(subject, version))) {
                    ids.add(value.id());
                }
            }
        }
        return List.copyOf(ids);
    }

    /** Every subject version registered with the id, by subject then version. */
    List<SchemaValue> versionsWithId(int id, boolean includeDeleted) {
        List<SchemaValue> found = new ArrayList<>();
        for (String subject : subjects.keySet()) {
            for (SchemaValue value : versions(subject, includeDeleted)) {
                if (value.id() == id) {
                    found.add(value);
                }
            }
        }
        return found;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The global level: the configured one, else Confluent's default. */
    CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }

    /** The level that applies to the subject: its own, else the global one. */
    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElse(globalLevel());
    }

    /** The highest schema id ever seen, so that a new schema gets the next one. */
    int maxId() {
        return maxId;
    }

    /** A builder that starts from this state and applies records on top of it. */
    Builder toBuilder() {
        return new Builder(this);
    }

    /** Applies records of the schemas topic, in topic order, to a copy of a state. Use once. */
    static final class Builder {
        private final NavigableMap<String, NavigableMap<Integer, SchemaValue>> subjects = new TreeMap<>();
        private final Map<String, CompatibilityLevel> subjectLevels;
        private CompatibilityLevel globalLevel;
        private int maxId;
        private boolean built;

        private Builder(RegistryState from) {
            from.subjects.forEach((subject, versions) -> subjects.put(subject, new TreeMap<>(versions)));
            subjectLevels = new HashMap<>(from.subjectLevels);
            globalLevel = from.globalLevel;
            maxId = from.maxId;
        }

        Builder apply(StoreRecord record) {
            if (built) {
                throw new IllegalStateException("this builder already built its state");
            }
            if (record instanceof SchemaRecord r) {
                applySchema(r);
            } else if (record instanceof ConfigRecord r) {
                applyConfig(r);
            } else if (record instanceof DeleteSubjectRecord r) {
                applyDeleteSubject(r);
            }
            return this;
        }

        RegistryState build() {
            built = true;
            NavigableMap<String, NavigableMap<Integer, SchemaValue>> frozen = new TreeMap<>();
            subjects.forEach((subject, versions) -> frozen.put(subject, Collections.unmodifiableNavigableMap(versions)));
            return new RegistryState(Collections.unmodifiableNavigableMap(frozen),
                    Collections.unmodifiableMap(subjectLevels), globalLevel, maxId);
        }

        private void applySchema(SchemaRecord r) {
            SchemaValue value = r.value();
            if (value == null) {
                NavigableMap<Integer, SchemaValue> versions = subjects.get(r.subject());
                if (versions != null) {
                    versions.remove(r.version());
                    if (versions.isEmpty()) {
                        subjects.remove(r.subject());
                    }
                }
                return;
            }
            // Ids stay used even when the schema is not kept, so a new schema never takes one over.
            maxId = Math.max(maxId, value.id());
            if (!value.schemaType().equals(AvroSchemas.AVRO)) {
                log.warn("skipping {} schema id {} of subject '{}' version {}: this registry serves AVRO only",
                        value.schemaType(), value.id(), r.subject(), r.version());
                return;
            }
            subjects.computeIfAbsent(r.subject(), s -> new TreeMap<>()).put(r.version(), value);
        }

        private void applyConfig(ConfigRecord r) {
            if (r.subject() == null) {
                globalLevel = r.level();
            } else if (r.level() == null) {
                subjectLevels.remove(r.subject());
            } else {
                subjectLevels.put(r.subject(), r.level());
            }
        }

        private void applyDeleteSubject(DeleteSubjectRecord r) {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(r.subject());
            if (versions != null) {
                versions.headMap(r.version(), true).replaceAll((version, value) -> value.softDeleted());
            }
        }
    }
}
