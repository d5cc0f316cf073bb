package dev.fanout.serde;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: a magic byte {@code 0x00}, the schema id as a 4-byte big-endian int, then
 * the Avro binary encoding of the value. Every Confluent-compatible serializer, in any language,
 * writes this, which is why producers outside Fanout can feed it.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /** The five header bytes for a schema id. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * Reads the schema id from a value in the wire format.
     *
     * @param topic for the message only
     * @throws SerializationException when the value is shorter than the header or does not start with
     *                                the magic byte
     */
    public static int schemaId(byte[] data, String topic) {
        Objects.requireNonNull(data, "data");
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("topic " + topic + ": a value of " + data.length
                    + " byte(s) is too short for the Confluent wire format, which starts with a "
                    + HEADER_SIZE + "-byte header (magic byte 0x00 and a 4-byte schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format("topic %s: unknown magic byte 0x%02x; values in the "
                    + "Confluent wire format start with 0x00 (was this written by a Confluent-compatible Avro "
                    + "serializer?)", topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
    }
}
