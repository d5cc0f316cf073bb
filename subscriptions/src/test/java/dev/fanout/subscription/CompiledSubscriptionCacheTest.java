package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompiledSubscriptionCacheTest {

    private final CompiledSubscriptionCache cache = new CompiledSubscriptionCache(SubscriptionCompiler.withDefaults(), 2);

    @Test
    void theSameContentIsCompiledOnce() {
        // Given
        Compilation first = cache.get(Fixtures.subscription().build());

        // When a copy with equal content arrives, as after deserialization
        Compilation second = cache.get(Fixtures.subscription().build());

        // Then
        assertThat(second).isSameAs(first);
    }

    @Test
    void changedContentUnderTheSameIdIsRecompiledAndReplacesTheOldEntry() {
        // Given
        Compilation first = cache.get(Fixtures.subscription().build());

        // When
        Compilation second = cache.get(Fixtures.subscription().setSchemaVersion("^2.0.0").build());

        // Then
        assertThat(second).isNotSameAs(first);
        assertThat(((Compilation.Valid) second).compiled().range().text()).isEqualTo("^2.0.0");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void anInvalidSubscriptionIsCachedTooSoItIsNotRecompiledPerEvent() {
        Compilation first = cache.get(Fixtures.subscription().setFilter("(").build());

        Compilation second = cache.get(Fixtures.subscription().setFilter("(").build());

        assertThat(second).isSameAs(first).isInstanceOf(Compilation.Invalid.class);
    }

    @Test
    void aTombstoneRemovesTheEntry() {
        cache.get(Fixtures.subscription().build());

        cache.remove("app-b/on-release");

        assertThat(cache.size()).isZero();
    }

    @Test
    void theCacheIsBounded() {
        cache.get(Fixtures.subscription().setId("app-b/one").build());
        cache.get(Fixtures.subscription().setId("app-b/two").build());

        cache.get(Fixtures.subscription().setId("app-b/three").build());

        assertThat(cache.size()).isEqualTo(2);
    }
}
