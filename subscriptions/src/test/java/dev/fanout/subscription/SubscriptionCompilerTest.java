package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubscriptionCompilerTest {

    private final SubscriptionCompiler compiler = SubscriptionCompiler.withDefaults();

    @Test
    void aValidSubscriptionCompiles() {
        Compilation compilation = compiler.compile(Fixtures.subscription().build());

        assertThat(compilation).isInstanceOf(Compilation.Valid.class);
        assertThat(((Compilation.Valid) compilation).compiled().range().text()).isEqualTo("^1.2.0");
    }

    @Test
    void anInvalidSubscriptionYieldsItsProblemsAsOneReasonForTheDeadLetterHeader() {
        Compilation compilation = compiler.compile(Fixtures.subscription().setSchemaVersion("soon").setFilter("(").build());

        assertThat(compilation).isInstanceOf(Compilation.Invalid.class);
        assertThat(((Compilation.Invalid) compilation).reason())
                .contains("schema_version 'soon'").contains("; ").contains("filter '('");
    }
}
