package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every bad setting of a worker is refused at build time with the setting, the value and the fix. */
class WorkerBuilderTest {

    private static final RunHandler OK = run -> RunResult.succeeded();

    private static FanoutWorker.Builder valid() {
        return FanoutWorker.builder().bootstrapServers("localhost:9092").schemaRegistryUrl("http://localhost:8081")
                .groupId("app-b-workers").handle("app-b", "deploy", OK);
    }

    @Test
    void missingBootstrapServersIsNamed() {
        assertThatThrownBy(() -> FanoutWorker.builder().schemaRegistryUrl("http://localhost:8081").groupId("g")
                .handle("app-b", "deploy", OK).build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessage("bootstrapServers is not set: give the Kafka brokers, such as localhost:9092");
    }

    @Test
    void bootstrapServersWithoutAPortAreRefused() {
        assertThatThrownBy(() -> valid().bootstrapServers("localhost:9092,kafka-2").build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessage("bootstrapServers 'localhost:9092,kafka-2': 'kafka-2' is not host:port; give comma-separated "
                        + "host:port pairs, such as localhost:9092");
    }

    @Test
    void missingSchemaRegistryUrlIsNamed() {
        assertThatThrownBy(() -> FanoutWorker.builder().bootstrapServers("localhost:9092").groupId("g")
                .handle("app-b", "deploy", OK).build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("schemaRegistryUrl is not set");
    }

    @Test
    void aSchemaRegistryUrlThatIsNotAUrlIsRefused() {
        assertThatThrownBy(() -> valid().schemaRegistryUrl("localhost:8081").build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageContaining("schemaRegistryUrl")
                .hasMessageContaining("localhost:8081")
                .hasMessageContaining("http");
    }

    @Test
    void aBlankGroupIdIsNamed() {
        assertThatThrownBy(() -> valid().groupId("  ").build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("groupId is blank: give the consumer group");
    }

    @Test
    void aWorkerWithoutHandlersIsRefused() {
        assertThatThrownBy(() -> FanoutWorker.builder().bootstrapServers("localhost:9092")
                .schemaRegistryUrl("http://localhost:8081").groupId("g").build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("no handler is registered");
    }

    @Test
    void registeringAWorkflowTwiceIsRefused() {
        assertThatThrownBy(() -> valid().handle("app-b", "deploy", OK))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("a handler for workflow 'deploy' of repo app-b is already registered");
    }

    @Test
    void theSameWorkflowNameInAnotherRepoIsAnotherHandler() {
        valid().handle("app-c", "deploy", OK).build().close();
    }

    @Test
    void aBlankRepoOrWorkflowIsRefused() {
        assertThatThrownBy(() -> valid().handle("", "deploy", OK))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageContaining("repo is blank");
        assertThatThrownBy(() -> valid().handle("app-b", null, OK))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageContaining("workflow is not set");
    }

    @Test
    void concurrencyBelowOneIsRefused() {
        assertThatThrownBy(() -> valid().concurrency(0))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("concurrency is 0; ");
    }

    @Test
    void aNegativeGracePeriodIsRefused() {
        assertThatThrownBy(() -> valid().shutdownGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("shutdownGracePeriod is PT-1S");
    }

    @Test
    void aTopicPrefixWithIllegalCharactersIsRefused() {
        assertThatThrownBy(() -> valid().topicPrefix("fan out/").build())
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("topicPrefix 'fan out/' is not allowed");
    }

    @Test
    void propertiesTheWorkerOwnsCannotBeOverridden() {
        assertThatThrownBy(() -> valid().property("enable.auto.commit", true))
                .isInstanceOf(WorkerConfigurationException.class)
                .hasMessageStartingWith("property 'enable.auto.commit' is set by the worker itself");
    }

    @Test
    void aClosedWorkerCannotBeStarted() {
        FanoutWorker worker = valid().build();
        worker.close();
        assertThatThrownBy(worker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("worker app-b-workers is closed; build a new one");
    }

    @Test
    void nestedEventsNeedAnArtifactRef() {
        assertThatThrownBy(() -> NestedEvent.builder("svc-a", "published", "1.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nested event: artifact 'svc-a' is not an artifact ref");
        assertThatThrownBy(() -> NestedEvent.builder("svc-a:image", "published", "1.0.0").key("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nested event: key 'a b' is not allowed");
    }

    @Test
    void eventIdsAreStableAcrossAttemptsUnlessPerAttempt() {
        NestedEvent plain = NestedEvent.builder("svc-a:image", "published", "1.0.0").build();
        NestedEvent keyed = NestedEvent.builder("svc-a:image", "published", "1.0.0").key("image").build();
        NestedEvent perAttempt = NestedEvent.builder("svc-a:image", "published", "1.0.0").perAttempt().build();
        org.assertj.core.api.Assertions.assertThat(plain.eventId("r-1", 1, 2)).isEqualTo(plain.eventId("r-1", 3, 2))
                .isEqualTo("r-1.e2");
        org.assertj.core.api.Assertions.assertThat(keyed.eventId("r-1", 2, 7)).isEqualTo("r-1.image");
        org.assertj.core.api.Assertions.assertThat(perAttempt.eventId("r-1", 2, 1)).isEqualTo("r-1.a2.e1");
    }
}
