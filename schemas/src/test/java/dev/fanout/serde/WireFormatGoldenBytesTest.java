package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ParentRef;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The bytes on the wire, pinned down: any Confluent-compatible client must be able to produce and
 * consume them, so they must never change by accident.
 */
class WireFormatGoldenBytesTest {

    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");
    private static final HexFormat HEX = HexFormat.of();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void aParentRefIsWrittenAsMagicByteSchemaIdAndAvroBinary() {
        // Given ParentRef registered under id 7 for the topic's value subject
        registry.registerWithId("fanout.golden-value", ParentRef.getClassSchema(), 7);
        SpecificAvroSerializer<ParentRef> serializer = configured(new SpecificAvroSerializer<>(registry));

        // When a ParentRef is serialized
        byte[] bytes = serializer.serialize("fanout.golden", new ParentRef("t1", "r1"));

        // Then the bytes are 0x00, id 7 big-endian, then each string as zigzag length 2 (0x04) and UTF-8
        assertThat(HEX.formatHex(bytes)).isEqualTo("00" + "00000007" + "04" + "7431" + "04" + "7231");
    }

    @Test
    void anArtifactEventIsTheHeaderFollowedByAvrosOwnBinaryEncoding() throws IOException {
        // Given ArtifactEvent registered under a multi-byte id
        int id = 0x01020304;
        registry.registerWithId("fanout.artifact-events-value", ArtifactEvent.getClassSchema(), id);
        SpecificAvroSerializer<ArtifactEvent> serializer = configured(new SpecificAvroSerializer<>(registry));
        ArtifactEvent event = SampleRecords.artifactEvent();

        // When the event is serialized
        byte[] bytes = serializer.serialize("fanout.artifact-events", event);

        // Then it is the header followed by exactly what Avro's own writer makes of the event
        assertThat(HEX.formatHex(bytes)).isEqualTo("00" + "01020304" + HEX.formatHex(avroBinary(event)));
    }

    @Test
    void handMadeConfluentBytesDecodeIntoTheGeneratedClass() {
        // Given bytes as any Confluent serializer writes them for ParentRef("tree-9", "run-3") under id 258
        registry.registerWithId("fanout.golden-value", ParentRef.getClassSchema(), 258);
        byte[] bytes = HEX.parseHex("00" + "00000102" + "0c" + "747265652d39" + "0a" + "72756e2d33");
        SpecificAvroDeserializer<ParentRef> deserializer =
                configured(new SpecificAvroDeserializer<>(ParentRef.class, registry));

        // When they are deserialized
        ParentRef ref = deserializer.deserialize("fanout.golden", bytes);

        // Then the fields are the ones encoded
        assertThat(ref).isEqualTo(new ParentRef("tree-9", "run-3"));
    }

    private static byte[] avroBinary(ArtifactEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ArtifactEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static <S extends SpecificAvroSerializer<?>> S configured(S serializer) {
        serializer.configure(CONFIG, false);
        return serializer;
    }

    private static <D extends SpecificAvroDeserializer<?>> D configured(D deserializer) {
        deserializer.configure(CONFIG, false);
        return deserializer;
    }
}
