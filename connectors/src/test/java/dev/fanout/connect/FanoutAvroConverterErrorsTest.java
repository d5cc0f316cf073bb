package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.ContractSamples;
import dev.fanout.serde.SpecificAvroSerde;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class FanoutAvroConverterErrorsTest {

    private static final String TOPIC = "fanout.tree-done";
    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void bytesThatAreNotTheWireFormatFailWithADataExceptionSayingSo() {
        // Given a converter
        FanoutAvroConverter converter = converter();

        // When it reads JSON text
        // Then Connect gets a DataException (for its error handling) that names the topic and the magic byte
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, "{\"tree_id\":\"t-1\"}".getBytes()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("topic " + TOPIC).hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowFailsWithADataExceptionNamingTheId() {
        // Given bytes in the wire format with an id nobody registered
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};

        // When Connect reads them
        // Then the DataException names the id
        assertThatThrownBy(() -> converter().toConnectData(TOPIC, bytes))
                .isInstanceOf(DataException.class).hasMessageContaining("schema id 12345");
    }

    @Test
    void truncatedAvroFailsWithADataException() {
        // Given a TreeDone cut in the middle
        byte[] whole = serializedTreeDone();
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        // When Connect reads it
        // Then it is a DataException that says the data cannot be decoded
        assertThatThrownBy(() -> converter().toConnectData(TOPIC, cut))
                .isInstanceOf(DataException.class).hasMessageContaining("cannot decode the Avro data");
    }

    @Test
    void aRegistryThatDoesNotAnswerIsARetriableExceptionNotBadData() throws IOException {
        // Given a converter whose registry URL points at a port where nothing listens
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FanoutAvroConverter converter = new FanoutAvroConverter();
        converter.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort,
                AvroSerdeConfig.RETRIES, "0"), false);

        // When it reads a sound record
        // Then Connect is told to retry, not to dead-letter the record
        try {
            assertThatThrownBy(() -> converter.toConnectData(TOPIC, serializedTreeDone()))
                    .isInstanceOf(RetriableException.class).hasMessageContaining("did not answer");
        } finally {
            converter.close();
        }
    }

    @Test
    void aNullValueIsATombstone() {
        // Given a converter
        // When it reads a null value
        SchemaAndValue data = converter().toConnectData(TOPIC, null);

        // Then it is Connect's null, and a null written is null
        assertThat(data).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter().fromConnectData(TOPIC, null, null)).isNull();
    }

    @Test
    void aValueWithoutASchemaCannotBeWrittenAndTheMessageSaysWhatToDo() {
        assertThatThrownBy(() -> converter().fromConnectData(TOPIC, null, Map.of("tree_id", "t-1")))
                .isInstanceOf(DataException.class).hasMessageContaining("without a Connect schema");
    }

    @Test
    void theSerdesSettingsConfigureItAndTheirErrorsSayWhatToFix() {
        // Given the settings Connect passes with the value.converter. prefix removed
        FanoutAvroConverter converter = new FanoutAvroConverter();

        // When basic auth from user info is asked for without the credentials, or the URL is missing
        // Then configuring fails with the serde's own messages
        assertThatThrownBy(() -> converter.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, AvroSerdeConfig.CREDENTIALS_FROM_USER_INFO), false))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.BASIC_AUTH_USER_INFO + " is empty");
        assertThatThrownBy(() -> converter.configure(Map.of(), false))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("schema.registry.url is not set");
        // and Connect can validate them, from the same definition
        assertThat(converter.config().names()).contains(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
    }

    private FanoutAvroConverter converter() {
        FanoutAvroConverter converter = new FanoutAvroConverter(registry);
        converter.configure(CONFIG, false);
        return converter;
    }

    private byte[] serializedTreeDone() {
        try (SpecificAvroSerde<dev.fanout.avro.TreeDone> serde = new SpecificAvroSerde<>(dev.fanout.avro.TreeDone.class, registry)) {
            serde.configure(CONFIG, false);
            return serde.serializer().serialize(TOPIC, ContractSamples.treeDone());
        }
    }
}
