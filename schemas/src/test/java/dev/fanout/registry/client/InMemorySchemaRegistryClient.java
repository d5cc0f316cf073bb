package dev.fanout.registry.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry in memory, for unit tests of code that talks to a registry: ids and versions as the real
 * one hands them out, soft deletes, and BACKWARD/FORWARD/FULL checks (latest version only, or all
 * versions for the transitive levels) with Avro's own checker. It counts calls so that tests can see
 * what a cache saves.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final String SOURCE = "in-memory registry";

    private final Map<String, List<Version>> subjects = new LinkedHashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    private record Version(int version, int id, Schema schema, boolean deleted) {
    }

    /** How many times a method of the interface was called, by name. */
    public int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    /** Registers under a chosen id, as a registry that already holds the schema would answer. */
    public synchronized int registerWithId(String subject, Schema schema, int id) {
        schemasById.put(id, schema);
        idsBySchemaText.put(schema.toString(), id);
        nextId = Math.max(nextId, id + 1);
        return register(subject, schema, false);
    }

    @Override
    public synchronized int register(String subject, Schema schema, boolean normalize) {
        count("register");
        List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        Optional<Version> existing = live(versions).stream()
                .filter(v -> v.schema().toString().equals(schema.toString())).findFirst();
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<String> problems = incompatibilities(subject, schema, live(versions));
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException(409, "Schema being registered is incompatible with an earlier "
                    + "schema for subject \"" + subject + "\", details: " + problems, SOURCE);
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), text -> nextId++);
        schemasById.put(id, schema);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        versions.add(new Version(version, id, schema, false));
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema, boolean normalize) {
        count("lookup");
        return live(requireSubject(subject)).stream()
                .filter(v -> v.schema().toString().equals(schema.toString()))
                .findFirst()
                .map(v -> registered(subject, v))
                .orElseThrow(() -> new SchemaNotFoundException(404, "Schema not found", SOURCE));
    }

    @Override
    public synchronized Schema getSchemaById(int id) {
        count("getSchemaById");
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException(404, "Schema " + id + " not found", SOURCE);
        }
        return schema;
    }

    @Override
    public synchronized List<String> getAllSubjects() {
        count("getAllSubjects");
        return subjects.entrySet().stream().filter(e -> !live(e.getValue()).isEmpty()).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized List<Integer> getAllVersions(String subject) {
        count("getAllVersions");
        return live(requireSubject(subject)).stream().map(Version::version).toList();
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        count("getVersion");
        return live(requireSubject(subject)).stream().filter(v -> v.version() == version).findFirst()
                .map(v -> registered(subject, v))
                .orElseThrow(() -> new VersionNotFoundException(404, "Version " + version + " not found.", SOURCE));
    }

    @Override
    public synchronized RegisteredSchema getLatestVersion(String subject) {
        count("getLatestVersion");
        List<Version> live = live(requireSubject(subject));
        return registered(subject, live.get(live.size() - 1));
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject) {
        count("deleteSubject");
        List<Version> versions = requireSubject(subject);
        List<Integer> deleted = live(versions).stream().map(Version::version).toList();
        versions.replaceAll(v -> new Version(v.version(), v.id(), v.schema(), true));
        return deleted;
    }

    @Override
    public synchronized int deleteVersion(String subject, int version) {
        count("deleteVersion");
        List<Version> versions = requireSubject(subject);
        RegisteredSchema existing = getVersion(subject, version);
        versions.replaceAll(v -> v.version() == version ? new Version(v.version(), v.id(), v.schema(), true) : v);
        return existing.version();
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
        count("testCompatibility");
        Version against = live(requireSubject(subject)).stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new VersionNotFoundException(404, "Version " + version + " not found.", SOURCE));
        List<String> problems = incompatibilities(subject, schema, List.of(against));
        return new CompatibilityResult(problems.isEmpty(), problems);
    }

    @Override
    public synchronized CompatibilityResult testCompatibilityWithLatest(String subject, Schema schema) {
        List<Version> live = live(requireSubject(subject));
        return testCompatibility(subject, live.get(live.size() - 1).version(), schema);
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized CompatibilityLevel setCompatibility(CompatibilityLevel level) {
        globalLevel = Objects.requireNonNull(level, "level");
        return level;
    }

    @Override
    public synchronized Optional<CompatibilityLevel> getCompatibility(String subject, boolean defaultToGlobal) {
        CompatibilityLevel own = subjectLevels.get(subject);
        return own != null ? Optional.of(own) : defaultToGlobal ? Optional.of(globalLevel) : Optional.empty();
    }

    @Override
    public synchronized CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, Objects.requireNonNull(level, "level"));
        return level;
    }

    private List<String> incompatibilities(String subject, Schema candidate, List<Version> live) {
        CompatibilityLevel level = getCompatibility(subject, true).orElseThrow();
        if (level == CompatibilityLevel.NONE || live.isEmpty()) {
            return List.of();
        }
        List<Version> against = level.name().endsWith("_TRANSITIVE") ? live : List.of(live.get(live.size() - 1));
        boolean backward = !level.name().startsWith("FORWARD");
        boolean forward = !level.name().startsWith("BACKWARD");
        List<String> problems = new ArrayList<>();
        for (Version existing : against) {
            if (backward) {
                problems.addAll(check(candidate, existing.schema()));
            }
            if (forward) {
                problems.addAll(check(existing.schema(), candidate));
            }
        }
        return problems;
    }

    private static List<String> check(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage()).toList();
    }

    private List<Version> requireSubject(String subject) {
        List<Version> versions = subjects.get(subject);
        if (versions == null || live(versions).isEmpty()) {
            throw new SubjectNotFoundException(404, "Subject '" + subject + "' not found.", SOURCE);
        }
        return versions;
    }

    private static List<Version> live(List<Version> versions) {
        return versions.stream().filter(v -> !v.deleted()).toList();
    }

    private static RegisteredSchema registered(String subject, Version version) {
        return new RegisteredSchema(subject, version.version(), version.id(), version.schema().toString());
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }
}
