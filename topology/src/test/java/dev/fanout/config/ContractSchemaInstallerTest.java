package dev.fanout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.config.ContractSchemaInstaller.Outcome;
import dev.fanout.config.ContractSchemaInstaller.Status;
import dev.fanout.contract.ContractSchemas;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class ContractSchemaInstallerTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final FanoutTopics topics = new FanoutTopics("acme.",
            new AvroSerdes(Map.of("schema.registry.url", "http://127.0.0.1:1"), registry));

    @Test
    void everyPublicValueSchemaIsRegisteredUnderItsTopicsSubjectWithThePrefix() {
        List<Outcome> outcomes = new ContractSchemaInstaller(registry).install(topics);

        assertThat(outcomes).extracting(Outcome::subject).containsExactly("acme.artifact-events-value",
                "acme.subscriptions-value", "acme.triggers-value", "acme.run-status-value", "acme.fanout-done-value",
                "acme.tree-done-value", "acme.tree-progress-value", "acme.tree-cancel-value",
                "acme.run-cancellations-value", "acme.repo-limits-value");
        assertThat(outcomes).extracting(Outcome::status).containsOnly(Status.REGISTERED);
        assertThat(outcomes).extracting(Outcome::version).containsOnly(1);
        assertThat(registry.getLatestVersion("acme.run-status-value").avroSchema())
                .isEqualTo(ContractSchemas.schema("RunStatus"));
        assertThat(registry.getAllSubjects()).noneMatch(s -> s.contains("dead-letters"));
    }

    @Test
    void installingAgainRegistersNothingAndReportsTheSameIds() {
        List<Outcome> first = new ContractSchemaInstaller(registry).install(topics);
        int registrations = registry.calls("register");

        List<Outcome> second = new ContractSchemaInstaller(registry).install(topics);

        assertThat(registry.calls("register")).isEqualTo(registrations);
        assertThat(second).extracting(Outcome::status).containsOnly(Status.EXISTS);
        assertThat(second).extracting(Outcome::id).isEqualTo(first.stream().map(Outcome::id).toList());
    }

    @Test
    void aSubjectHoldingAnUnrelatedSchemaIsNamedWithTheWayOut() {
        Schema unrelated = SchemaBuilder.record("ArtifactEvent").namespace("dev.fanout.avro").fields()
                .requiredInt("x").endRecord();
        registry.register("acme.artifact-events-value", unrelated);

        assertThatThrownBy(() -> new ContractSchemaInstaller(registry).install(topics))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("subject acme.artifact-events-value")
                .hasMessageContaining("refuses the contract schema dev.fanout.avro.ArtifactEvent")
                .hasMessageContaining("GET /subjects/acme.artifact-events-value/versions")
                .hasMessageContaining("fanout.topic.prefix");
    }
}
