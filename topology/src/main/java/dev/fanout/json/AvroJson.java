package dev.fanout.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain JSON for Avro records, as people read and write it: unions unwrapped (Avro's own JSON encoding
 * wraps them as {@code {"string": "x"}}), enums as names, timestamps as ISO-8601 instants.
 * Used by {@code fanout consume} to print records and by {@code fanout emit --file} to read them.
 */
public final class AvroJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The record as a JSON object. */
    public static ObjectNode toJson(SpecificRecord record) {
        Objects.requireNonNull(record, "record");
        return (ObjectNode) toJson(record, record.getSchema());
    }

    /**
     * Reads a record of the given class from plain JSON. Fields with a default may be left out; unknown
     * fields are refused, naming the field and the allowed ones.
     *
     * @throws IllegalArgumentException naming the JSON path and the problem
     */
    public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        return type.cast(fromJson(json, schema, "$"));
    }

    private static JsonNode toJson(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD: {
                SpecificRecord record = (SpecificRecord) value;
                ObjectNode node = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    node.set(field.name(), toJson(record.get(field.pos()), field.schema()));
                }
                return node;
            }
            case UNION:
                return toJson(value, schema.getTypes().get(SpecificData.get().resolveUnion(schema, value)));
            case MAP: {
                ObjectNode node = NODES.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> node.set(k.toString(), toJson(v, schema.getValueType())));
                return node;
            }
            case ARRAY: {
                ArrayNode node = NODES.arrayNode();
                for (Object item : (Iterable<?>) value) {
                    node.add(toJson(item, schema.getElementType()));
                }
                return node;
            }
            case ENUM:
            case STRING:
                return NODES.textNode(value.toString());
            case LONG:
                return value instanceof Instant instant ? NODES.textNode(instant.toString())
                        : NODES.numberNode((Long) value);
            case INT:
                return NODES.numberNode((Integer) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            default:
                throw new IllegalArgumentException("no JSON form for Avro type " + schema.getType());
        }
    }

    private static Object fromJson(JsonNode json, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD:
                return record(json, schema, path);
            case UNION:
                return union(json, schema, path);
            case MAP: {
                expect(json.isObject(), path, "an object", json);
                Map<String, Object> map = new LinkedHashMap<>();
                json.fields().forEachRemaining(e ->
                        map.put(e.getKey(), fromJson(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                return map;
            }
            case ARRAY: {
                expect(json.isArray(), path, "an array", json);
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < json.size(); i++) {
                    list.add(fromJson(json.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return list;
            }
            case ENUM: {
                expect(json.isTextual() && schema.hasEnumSymbol(json.asText()), path,
                        "one of " + schema.getEnumSymbols(), json);
                return SpecificData.get().createEnum(json.asText(), schema);
            }
            case STRING:
                expect(json.isTextual(), path, "a string", json);
                return json.asText();
            case LONG:
                return longOrInstant(json, schema, path);
            case INT:
                expect(json.isInt(), path, "a whole number", json);
                return json.intValue();
            case DOUBLE:
            case FLOAT:
                expect(json.isNumber(), path, "a number", json);
                return schema.getType() == Schema.Type.DOUBLE ? (Object) json.doubleValue() : (Object) json.floatValue();
            case BOOLEAN:
                expect(json.isBoolean(), path, "true or false", json);
                return json.booleanValue();
            default:
                throw new IllegalArgumentException(path + ": no JSON form for Avro type " + schema.getType());
        }
    }

    private static Object record(JsonNode json, Schema schema, String path) {
        expect(json.isObject(), path, "an object", json);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(path + ": unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " in " + schema.getName() + "; allowed: "
                    + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", ")));
        }
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = json.get(field.name());
            String fieldPath = path + "." + field.name();
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException(fieldPath + ": required field of " + schema.getName()
                            + " is missing");
                }
                record.put(field.pos(), SpecificData.get().deepCopy(field.schema(),
                        SpecificData.get().getDefaultValue(field)));
            } else {
                record.put(field.pos(), fromJson(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    private static Object union(JsonNode json, Schema schema, String path) {
        if (json.isNull()) {
            expect(schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL), path, "a value", json);
            return null;
        }
        IllegalArgumentException last = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return fromJson(json, branch, path);
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalArgumentException(path + ": no branch of " + schema + " fits " + json);
    }

    private static Object longOrInstant(JsonNode json, Schema schema, String path) {
        boolean timestamp = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
        if (timestamp && json.isTextual()) {
            try {
                return Instant.parse(json.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + ": '" + json.asText()
                        + "' is not an ISO-8601 instant; use the form 2026-01-31T12:00:00Z or epoch milliseconds");
            }
        }
        expect(json.isIntegralNumber() && json.canConvertToLong(), path,
                timestamp ? "epoch milliseconds or an ISO-8601 instant" : "a whole number", json);
        return timestamp ? Instant.ofEpochMilli(json.longValue()) : (Object) json.longValue();
    }

    private static void expect(boolean ok, String path, String what, JsonNode found) {
        if (!ok) {
            String shown = found.toString();
            throw new IllegalArgumentException(path + ": expected " + what + " but found "
                    + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown));
        }
    }
}
