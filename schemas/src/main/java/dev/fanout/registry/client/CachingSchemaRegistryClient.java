package dev.fanout.registry.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Remembers the registry's answers that never change, so that a serde asks once per schema rather than
 * once per record: schemas by id, ids by (subject, schema) and lookups by (subject, schema). The latest
 * version of a subject does change, so it is remembered only for a time to live. Everything else goes
 * straight to the delegate. Each cache holds at most {@code capacity} entries.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    /** A time to live for latest versions that never expires. */
    public static final Duration NEVER_EXPIRE = ChronoUnit.FOREVER.getDuration();

    private final SchemaRegistryClient delegate;
    private final long latestTtlNanos;
    private final LongSupplier nanoClock;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> registeredIds;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;
    private final BoundedCache<String, Timed<RegisteredSchema>> latestVersions;

    /** Caches everything but latest versions. */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity) {
        this(delegate, capacity, Duration.ZERO);
    }

    /**
     * @param latestTtl how long a latest version is reused; {@link Duration#ZERO} asks every time and
     *                  {@link #NEVER_EXPIRE} asks once
     */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl) {
        this(delegate, capacity, latestTtl, System::nanoTime);
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl,
                                LongSupplier nanoClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.latestTtlNanos = saturatedNanos(Objects.requireNonNull(latestTtl, "latestTtl"));
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.schemasById = new BoundedCache<>(capacity);
        this.registeredIds = new BoundedCache<>(capacity);
        this.lookups = new BoundedCache<>(capacity);
        this.latestVersions = new BoundedCache<>(capacity);
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        SubjectSchema key = new SubjectSchema(subject, schema, normalize);
        return registeredIds.computeIfAbsent(key, k -> {
            int id = delegate.register(subject, schema, normalize);
            if (!normalize) {
                // Only then is the schema we hold exactly the one the id stands for.
                schemasById.put(id, schema);
            }
            return id;
        });
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema, boolean normalize) {
        return lookups.computeIfAbsent(new SubjectSchema(subject, schema, normalize),
                k -> delegate.lookup(subject, schema, normalize));
    }

    @Override
    public Schema getSchemaById(int id) {
        return schemasById.computeIfAbsent(id, delegate::getSchemaById);
    }

    @Override
    public RegisteredSchema getLatestVersion(String subject) {
        Objects.requireNonNull(subject, "subject");
        long now = nanoClock.getAsLong();
        Timed<RegisteredSchema> cached = latestVersions.get(subject);
        if (cached != null && now - cached.cachedAtNanos() < latestTtlNanos) {
            return cached.value();
        }
        RegisteredSchema latest = delegate.getLatestVersion(subject);
        if (latestTtlNanos > 0) {
            latestVersions.put(subject, new Timed<>(latest, now));
        }
        return latest;
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        List<Integer> deleted = delegate.deleteSubject(subject);
        forget(subject);
        return deleted;
    }

    @Override
    public int deleteVersion(String subject, int version) {
        int deleted = delegate.deleteVersion(subject, version);
        forget(subject);
        return deleted;
    }

    @Override
    public List<String> getAllSubjects() {
        return delegate.getAllSubjects();
    }

    @Override
    public List<Integer> getAllVersions(String subject) {
        return delegate.getAllVersions(subject);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return delegate.getVersion(subject, version);
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
        return delegate.testCompatibility(subject, version, schema);
    }

    @Override
    public CompatibilityResult testCompatibilityWithLatest(String subject, Schema schema) {
        return delegate.testCompatibilityWithLatest(subject, schema);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return delegate.getCompatibility();
    }

    @Override
    public CompatibilityLevel setCompatibility(CompatibilityLevel level) {
        return delegate.setCompatibility(level);
    }

    @Override
    public Optional<CompatibilityLevel> getCompatibility(String subject, boolean defaultToGlobal) {
        return delegate.getCompatibility(subject, defaultToGlobal);
    }

    @Override
    public CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        return delegate.setCompatibility(subject, level);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * A deleted subject's versions are gone, and re-registering its schemas creates new versions: what
     * we remember about the subject is stale. Schemas by id stay valid; ids are never reused.
     */
    private void forget(String subject) {
        registeredIds.removeIf(key -> key.subject().equals(subject));
        lookups.removeIf(key -> key.subject().equals(subject));
        latestVersions.removeIf(subject::equals);
    }

    private static long saturatedNanos(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("latestTtl must not be negative: " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private record SubjectSchema(String subject, Schema schema, boolean normalize) {
        SubjectSchema {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }

    private record Timed<V>(V value, long cachedAtNanos) {
    }
}
