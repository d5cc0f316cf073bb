package dev.fanout.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theHeaderIsTheMagicByteAndTheIdBigEndian() {
        // Given an id wider than one byte, when its header is made, then the id's high byte comes first
        assertThat(HEX.formatHex(WireFormat.header(0x0a0b0c0d))).isEqualTo("000a0b0c0d");
    }

    @Test
    void theIdIsReadBackFromTheHeader() {
        // Given a header followed by data, when the id is read, then it is the one written
        assertThat(WireFormat.schemaId(HEX.parseHex("00" + "7fffffff" + "0102"), "t")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aHeaderAloneIsAValidValue() {
        // Given exactly five bytes (a record without fields encodes to nothing), then the id is read
        assertThat(WireFormat.schemaId(HEX.parseHex("0000000001"), "t")).isEqualTo(1);
    }

    @Test
    void fourBytesAreTooFew() {
        // Given four bytes, when the id is read, then the error names the topic and the length
        assertThatThrownBy(() -> WireFormat.schemaId(HEX.parseHex("00000000"), "fanout.triggers"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fanout.triggers")
                .hasMessageContaining("4 byte(s) is too short");
    }

    @Test
    void aMagicByteOtherThanZeroIsRefused() {
        // Given a value starting with 0x01, when the id is read, then the error names the byte
        assertThatThrownBy(() -> WireFormat.schemaId(HEX.parseHex("0100000001"), "fanout.triggers"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fanout.triggers")
                .hasMessageContaining("unknown magic byte 0x01");
    }
}
