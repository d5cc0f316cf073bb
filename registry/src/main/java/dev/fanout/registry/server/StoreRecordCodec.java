package dev.fanout.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.registry.server.StoreRecord.ConfigRecord;
import dev.fanout.registry.server.StoreRecord.DeleteSubjectRecord;
import dev.fanout.registry.server.StoreRecord.NoopRecord;
import dev.fanout.registry.server.StoreRecord.SchemaRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON keys and values of the schemas topic in the shapes Confluent's KafkaStore uses, so that a topic
 * written by one can be read by the other. Keys are written with a fixed field order: compaction keeps
 * the last record per key <em>bytes</em>, so the same logical key must always serialize the same way.
 */
final class StoreRecordCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreRecordCodec() {
    }

    static byte[] key(StoreRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof SchemaRecord r) {
            key.put("keytype", "SCHEMA").put("subject", r.subject()).put("version", r.version()).put("magic", 1);
        } else if (record instanceof ConfigRecord r) {
            key.put("keytype", "CONFIG").put("subject", r.subject()).put("magic", 0);
        } else if (record instanceof DeleteSubjectRecord r) {
            key.put("keytype", "DELETE_SUBJECT").put("subject", r.subject()).put("magic", 0);
        } else {
            key.put("keytype", "NOOP").put("magic", 0);
        }
        return bytes(key);
    }

    /** The value, or null for a tombstone. */
    static byte[] value(StoreRecord record) {
        if (record instanceof SchemaRecord r) {
            return r.value() == null ? null : bytes(schemaValue(r.value()));
        }
        if (record instanceof ConfigRecord r) {
            return r.level() == null ? null
                    : bytes(JSON.createObjectNode().put("compatibilityLevel", r.level().name()));
        }
        if (record instanceof DeleteSubjectRecord r) {
            return bytes(JSON.createObjectNode().put("subject", r.subject()).put("version", r.version()));
        }
        return null;
    }

    /**
     * The record a key and value stand for; empty for a key type this registry does not use.
     *
     * @throws IllegalArgumentException when the bytes are not a record of the schemas topic
     */
    static Optional<StoreRecord> decode(byte[] keyBytes, byte[] valueBytes) {
        JsonNode key = tree(keyBytes);
        JsonNode value = valueBytes == null ? null : tree(valueBytes);
        String subject = key.path("subject").isTextual() ? key.get("subject").asText() : null;
        return switch (key.path("keytype").asText()) {
            case "SCHEMA" -> Optional.of(new SchemaRecord(required(subject, key),
                    key.path("version").asInt(), value == null ? null : schemaValue(value)));
            case "CONFIG" -> Optional.of(new ConfigRecord(subject, value == null ? null
                    : CompatibilityLevel.parse(value.path("compatibilityLevel").asText(null)).orElse(null)));
            case "DELETE_SUBJECT" -> Optional.of(new DeleteSubjectRecord(required(subject, key),
                    value == null ? 0 : value.path("version").asInt()));
            case "NOOP" -> Optional.of(new NoopRecord());
            default -> Optional.empty();
        };
    }

    private static ObjectNode schemaValue(SchemaValue v) {
        ObjectNode value = JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schemaType", v.schemaType());
        if (!v.references().isEmpty()) {
            ArrayNode references = value.putArray("references");
            v.references().forEach(r -> references.addObject()
                    .put("name", r.name()).put("subject", r.subject()).put("version", r.version()));
        }
        return value.put("schema", v.schema()).put("deleted", v.deleted());
    }

    private static List<SchemaReference> references(JsonNode v) {
        List<SchemaReference> references = new ArrayList<>();
        for (JsonNode r : v.path("references")) {
            if (!r.path("name").isTextual() || !r.path("subject").isTextual() || !r.path("version").canConvertToInt()) {
                throw new IllegalArgumentException("schema reference without name, subject or version: " + r);
            }
            references.add(new SchemaReference(r.get("name").asText(), r.get("subject").asText(), r.get("version").asInt()));
        }
        return references;
    }

    private static SchemaValue schemaValue(JsonNode v) {
        if (!v.path("subject").isTextual() || !v.path("schema").isTextual() || !v.path("id").canConvertToInt()) {
            throw new IllegalArgumentException("schema value without subject, id or schema: " + v);
        }
        // Confluent leaves schemaType out for AVRO.
        return new SchemaValue(v.get("subject").asText(), v.path("version").asInt(), v.get("id").asInt(),
                v.path("schemaType").asText(AvroSchemas.AVRO), v.get("schema").asText(),
                v.path("deleted").asBoolean(false), references(v));
    }

    private static String required(String subject, JsonNode key) {
        if (subject == null) {
            throw new IllegalArgumentException("key without a subject: " + key);
        }
        return subject;
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
