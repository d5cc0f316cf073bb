package dev.fanout.connect.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect data as JSON text for people and files: structs are objects in field order, timestamps ISO-8601
 * in UTC ({@code 2025-03-14T09:26:53.589Z}), dates {@code 2025-04-01}, times {@code 17:30:00}, decimals
 * numbers and bytes base64. Unlike Kafka's {@code JsonConverter} it writes no schema envelope and no epoch
 * numbers, which is what a column or a line of a file should hold.
 */
final class ConnectJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConnectJson() {
    }

    static String text(Schema schema, Object value) {
        try {
            return MAPPER.writeValueAsString(node(schema, value));
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write " + (schema == null ? "a value" : schema.type()) + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode node(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        String logical = schema == null ? null : schema.name();
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().toString());
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return NODES.textNode(((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalTime().toString());
        }
        if (Decimal.LOGICAL_NAME.equals(logical) || value instanceof BigDecimal) {
            return NODES.numberNode((BigDecimal) value);
        }
        if (value instanceof Struct struct) {
            ObjectNode object = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                object.set(field.name(), node(field.schema(), struct.get(field)));
            }
            return object;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            Schema valueSchema = schema == null ? null : schema.valueSchema();
            map.forEach((key, element) -> object.set(String.valueOf(key), node(valueSchema, element)));
            return object;
        }
        if (value instanceof Collection<?> collection) {
            ArrayNode array = NODES.arrayNode();
            Schema elementSchema = schema == null ? null : schema.valueSchema();
            collection.forEach(element -> array.add(node(elementSchema, element)));
            return array;
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof java.util.Date date) {
            return NODES.textNode(Instant.ofEpochMilli(date.getTime()).toString());
        }
        return MAPPER.valueToTree(value);
    }
}
