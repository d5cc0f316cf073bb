package dev.fanout.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {

    private static final Schema V1 = SchemaBuilder.record("Obj").namespace("test").fields()
            .requiredString("name").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Obj").namespace("test").fields()
            .requiredString("name").optionalString("note").endRecord();
    private static final Schema OTHER = SchemaBuilder.record("Other").namespace("test").fields()
            .requiredLong("count").endRecord();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void aSchemaIsFetchedByIdOnce() {
        // Given a registered schema and a cache in front of the registry
        int id = registry.register("s", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);

        // When its id is resolved three times
        for (int i = 0; i < 3; i++) {
            assertThat(cache.getSchemaById(id)).isEqualTo(V1);
        }

        // Then the registry was asked once
        assertThat(registry.calls("getSchemaById")).isEqualTo(1);
    }

    @Test
    void aSchemaIsRegisteredOncePerSubject() {
        // Given a cache in front of the registry
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);

        // When the same schema is registered three times under one subject and once under another
        int first = cache.register("a", V1);
        cache.register("a", V1);
        cache.register("a", V1);
        int other = cache.register("b", V1);

        // Then the registry was asked once per subject, and the id is the registry's
        assertThat(registry.calls("register")).isEqualTo(2);
        assertThat(first).isEqualTo(other).isEqualTo(registry.lookup("a", V1).id());
    }

    @Test
    void aRegisteredSchemaIsKnownByItsIdWithoutAskingAgain() {
        // Given a schema registered through the cache
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);
        int id = cache.register("a", V1);

        // When its id is resolved, then the registry is not asked
        assertThat(cache.getSchemaById(id)).isEqualTo(V1);
        assertThat(registry.calls("getSchemaById")).isZero();
    }

    @Test
    void aLookupIsAskedOncePerSubjectAndSchema() {
        // Given a registered schema and a cache
        registry.register("a", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);

        // When it is looked up twice, then the registry was asked once
        assertThat(cache.lookup("a", V1)).isEqualTo(cache.lookup("a", V1));
        assertThat(registry.calls("lookup")).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedEntryIsForgottenBeyondTheCapacity() {
        // Given three schemas and a cache that holds two
        int one = registry.register("a", V1);
        int two = registry.register("b", OTHER);
        int three = registry.register("c", SchemaBuilder.builder().stringType());
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 2);

        // When all three are fetched and then the first again
        cache.getSchemaById(one);
        cache.getSchemaById(two);
        cache.getSchemaById(three);
        cache.getSchemaById(one);

        // Then the first was fetched twice: the third pushed it out
        assertThat(registry.calls("getSchemaById")).isEqualTo(4);
    }

    @Test
    void aFailedCallIsNotRemembered() {
        // Given a cache in front of a registry without schema 99
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);

        // When schema 99 is asked for twice, then both fail and both reached the registry
        assertThatThrownBy(() -> cache.getSchemaById(99)).isInstanceOf(SchemaNotFoundException.class);
        assertThatThrownBy(() -> cache.getSchemaById(99)).isInstanceOf(SchemaNotFoundException.class);
        assertThat(registry.calls("getSchemaById")).isEqualTo(2);
    }

    @Test
    void theLatestVersionIsReusedWithinItsTimeToLive() {
        // Given a latest version cached for 60 seconds
        registry.register("a", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10, Duration.ofSeconds(60), nanos::get);
        cache.getLatestVersion("a");

        // When a newer version is registered and the latest is asked for 59 seconds later
        registry.register("a", V2);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        RegisteredSchema latest = cache.getLatestVersion("a");

        // Then the cached version answers
        assertThat(latest.version()).isEqualTo(1);
        assertThat(registry.calls("getLatestVersion")).isEqualTo(1);
    }

    @Test
    void theLatestVersionIsAskedAgainOnceItsTimeToLiveHasPassed() {
        // Given a latest version cached for 60 seconds
        registry.register("a", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10, Duration.ofSeconds(60), nanos::get);
        cache.getLatestVersion("a");

        // When a newer version is registered and the latest is asked for 60 seconds later
        registry.register("a", V2);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());

        // Then the newer version answers
        assertThat(cache.getLatestVersion("a").version()).isEqualTo(2);
    }

    @Test
    void withoutATimeToLiveTheLatestVersionIsAlwaysAsked() {
        // Given a cache that does not keep latest versions
        registry.register("a", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);

        // When the latest is asked for twice, then the registry answered twice
        cache.getLatestVersion("a");
        cache.getLatestVersion("a");
        assertThat(registry.calls("getLatestVersion")).isEqualTo(2);
    }

    @Test
    void aLatestVersionKeptForeverIsNeverAskedAgain() {
        // Given a cache that keeps latest versions forever
        registry.register("a", V1);
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10,
                CachingSchemaRegistryClient.NEVER_EXPIRE, nanos::get);
        cache.getLatestVersion("a");

        // When a century passes, then the registry is still not asked again
        nanos.addAndGet(Duration.ofDays(36_500).toNanos());
        cache.getLatestVersion("a");
        assertThat(registry.calls("getLatestVersion")).isEqualTo(1);
    }

    @Test
    void deletingASubjectForgetsWhatWasCachedForIt() {
        // Given a schema registered through the cache
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(registry, 10);
        cache.register("a", V1);

        // When the subject is deleted and the schema registered again
        cache.deleteSubject("a");
        cache.register("a", V1);

        // Then the registry was asked again, and the subject exists again
        assertThat(registry.calls("register")).isEqualTo(2);
        assertThat(registry.getAllSubjects()).containsExactly("a");
    }
}
