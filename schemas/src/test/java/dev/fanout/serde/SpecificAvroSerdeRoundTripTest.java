package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecificAvroSerdeRoundTripTest {

    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static Stream<Named<SpecificRecord>> samples() {
        return SampleRecords.all().stream().map(r -> Named.of(r.getSchema().getName(), r));
    }

    @ParameterizedTest(name = "a {0} comes back equal")
    @MethodSource("samples")
    void aRecordComesBackEqualAfterSerializingAndDeserializing(SpecificRecord record) {
        // Given a serde for the record's class
        try (SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>(classOf(record), registry)) {
            serde.configure(CONFIG, false);

            // When the record is serialized and deserialized
            byte[] bytes = serde.serializer().serialize("fanout.round-trip", record);
            SpecificRecord back = serde.deserializer().deserialize("fanout.round-trip", bytes);

            // Then it is the same record, in the wire format
            assertThat(back).isEqualTo(record);
            assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        }
    }

    @Test
    void everyRecordTypeOfTheWireContractHasASample() throws IOException {
        // Given every record type the .avsc files define
        Set<String> recordTypes = recordTypesIn(Path.of("src/main/avro"));

        // When the samples are listed
        Set<String> sampled = SampleRecords.all().stream()
                .map(r -> r.getSchema().getFullName()).collect(Collectors.toSet());

        // Then each type has one, so the round trip above covers the whole contract
        assertThat(recordTypes).isNotEmpty();
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(recordTypes);
    }

    private static Set<String> recordTypesIn(Path dir) throws IOException {
        SchemaParser parser = new SchemaParser();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                parser.parse(file);
            }
        }
        return parser.getParsedNamedSchemas().stream()
                .filter(s -> s.getType() == Schema.Type.RECORD)
                // The topology's internal records (dev.fanout.avro.internal) are not the wire contract.
                .filter(s -> !s.getNamespace().equals("dev.fanout.avro.internal"))
                .map(Schema::getFullName)
                .collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Class<SpecificRecord> classOf(SpecificRecord record) {
        return (Class<SpecificRecord>) record.getClass();
    }
}
