package dev.fanout.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Turns the schema of a request into a parsed Avro schema and the text the registry stores, or a 42201
 * error saying what is wrong with it.
 *
 * <p>Schemas are stored and deduplicated by Avro's normalized JSON ({@link Schema#toString()}), as
 * Confluent does, so that whitespace and attribute order do not make a new id. Avro's Parsing Canonical
 * Form would not do: it drops defaults, docs and aliases, and defaults decide compatibility.
 */
final class AvroSchemas {

    static final String AVRO = "AVRO";
    private static final Set<String> OTHER_CONFLUENT_TYPES = Set.of("JSON", "PROTOBUF");

    private AvroSchemas() {
    }

    /** A parsed schema and its stored text. */
    record ParsedSchema(Schema schema, String canonical) {
    }

    static ParsedSchema parse(String subject, SchemaRequest request) {
        checkType(request.schemaType());
        if (request.referenceCount() > 0) {
            throw RegistryError.invalidSchema("Schema references are not supported by this registry (subject '"
                    + subject + "' lists " + request.referenceCount() + "): define the referenced types "
                    + "inline in one Avro schema");
        }
        if (request.schema() == null || request.schema().isBlank()) {
            throw RegistryError.invalidSchema("Empty schema for subject '" + subject
                    + "': the request body needs a \"schema\" field with an Avro schema in JSON");
        }
        return parseStored(request.schema(), subject);
    }

    /** Parses a schema the registry stored earlier, or one a client sent. */
    static ParsedSchema parseStored(String text, String subject) {
        Schema schema;
        try {
            // A new parser per schema: a parser remembers the names it has seen and is not thread-safe.
            schema = new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("Invalid schema for subject '" + subject + "': " + reason(e, text)
                    + " (the \"schema\" field must hold an Avro schema as a JSON string, such as "
                    + "\"{\\\"type\\\":\\\"string\\\"}\")");
        }
        return new ParsedSchema(schema, schema.toString());
    }

    /** Avro's complaint, without the JSON parser's class name and location noise when the text is not JSON. */
    private static String reason(RuntimeException e, String text) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return "not JSON: " + json.getOriginalMessage();
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("UnresolvedSchema")) {
            // Avro 1.12 reports an unknown top-level type by an internal placeholder's name; name the type instead.
            return unknownTopLevelType(text)
                    .map(t -> "unknown type '" + t + "': use a primitive type (" + String.join(", ", PRIMITIVES)
                            + "), record, enum, array, map or fixed")
                    .orElse("a type name is not defined");
        }
        return message;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PRIMITIVES = List.of("null", "boolean", "int", "long", "float", "double", "bytes", "string");

    private static Optional<String> unknownTopLevelType(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            JsonNode type = root.isTextual() ? root : root.path("type");
            return type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (JsonProcessingException notJson) {
            return Optional.empty();
        }
    }

    private static void checkType(String schemaType) {
        if (schemaType == null || schemaType.equalsIgnoreCase(AVRO)) {
            return;
        }
        String upper = schemaType.toUpperCase(Locale.ROOT);
        if (OTHER_CONFLUENT_TYPES.contains(upper)) {
            throw RegistryError.invalidSchema("Schema type " + upper + " is not supported by this registry: "
                    + "it stores AVRO schemas only (omit schemaType or set it to AVRO)");
        }
        throw RegistryError.invalidSchema("Invalid schema type " + schemaType
                + ": this registry supports AVRO only");
    }
}
