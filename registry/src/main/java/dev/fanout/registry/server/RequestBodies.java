package dev.fanout.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the JSON bodies the endpoints take. A body that is not the expected JSON is answered the way
 * Confluent's REST layer does, with HTTP 422 and error code 422; unknown fields are ignored, as
 * Confluent's request classes ignore them.
 */
final class RequestBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestBodies() {
    }

    /** {@code {"schema": "...", "schemaType": "AVRO", "references": []}} */
    static SchemaRequest schemaRequest(byte[] body) {
        JsonNode request = object(body, "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}");
        JsonNode schema = request.get("schema");
        if (schema != null && schema.isContainerNode()) {
            throw RegistryError.unprocessableBody("The \"schema\" field must be a string holding the schema's JSON, "
                    + "not a JSON " + (schema.isObject() ? "object" : "array")
                    + ": escape the schema into a string, as in {\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}");
        }
        return new SchemaRequest(text(schema), text(field(request, "schemaType")), references(request));
    }

    /** {@code {"compatibility": "BACKWARD"}}; the level text, or null when the body has none. */
    static String compatibility(byte[] body) {
        return text(field(object(body, "{\"compatibility\": \"BACKWARD\"}"), "compatibility"));
    }

    private static List<SchemaReference> references(JsonNode request) {
        JsonNode references = request.get("references");
        if (references == null || references.isNull()) {
            return List.of();
        }
        if (!references.isArray()) {
            throw RegistryError.unprocessableBody("The \"references\" field must be an array, not " + references);
        }
        List<SchemaReference> found = new ArrayList<>();
        for (JsonNode reference : references) {
            JsonNode name = reference.get("name");
            JsonNode subject = reference.get("subject");
            JsonNode version = reference.get("version");
            if (!reference.isObject() || name == null || !name.isTextual() || subject == null || !subject.isTextual()
                    || version == null || !version.canConvertToInt() || version.asInt() < 1) {
                throw RegistryError.unprocessableBody("Each reference must be an object with a \"name\" (the full "
                        + "name of the type), a \"subject\" and a \"version\" (from 1), such as "
                        + "{\"name\": \"dev.fanout.avro.ParentRef\", \"subject\": \"parent-ref\", \"version\": 1}, "
                        + "not " + reference);
            }
            found.add(new SchemaReference(name.asText(), subject.asText(), version.asInt()));
        }
        return found;
    }

    private static JsonNode field(JsonNode request, String name) {
        JsonNode value = request.get(name);
        if (value != null && !value.isNull() && !value.isValueNode()) {
            throw RegistryError.unprocessableBody("The \"" + name + "\" field must be a string, not " + value);
        }
        return value;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode object(byte[] body, String example) {
        if (body.length == 0) {
            throw RegistryError.unprocessableBody("The request body is empty: send a JSON object such as " + example);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RegistryError.unprocessableBody("The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (send a JSON object such as " + example + ")");
        } catch (IOException e) {
            throw RegistryError.unprocessableBody("The request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RegistryError.unprocessableBody("The request body must be a JSON object such as " + example
                    + ", not " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return node;
    }
}
