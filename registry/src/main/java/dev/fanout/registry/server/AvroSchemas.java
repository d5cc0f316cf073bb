package dev.fanout.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Finds a registered version of a subject, for the references of a schema. */
    interface Versions {
        Optional<SchemaValue> find(String subject, int version);
    }

    /**
     * Parses the schema of a request, with the named types of the versions it references (and of theirs)
     * known to the parser. The stored text keeps referenced types as names, as Confluent stores it.
     */
    static ParsedSchema parse(String subject, SchemaRequest request, Versions versions) {
        checkType(request.schemaType());
        if (request.schema() == null || request.schema().isBlank()) {
            throw RegistryError.invalidSchema("Empty schema for subject '" + subject
                    + "': the request body needs a \"schema\" field with an Avro schema in JSON");
        }
        Schema.Parser parser = new Schema.Parser();
        addReferences(parser, subject, request.references(), versions, new HashSet<>(), true);
        return parse(parser, request.schema(), subject);
    }

    /** Parses a schema the registry stored earlier, with the versions it references. */
    static ParsedSchema parseStored(SchemaValue value, Versions versions) {
        Schema.Parser parser = new Schema.Parser();
        addReferences(parser, value.subject(), value.references(), versions, new HashSet<>(), false);
        return parse(parser, value.schema(), value.subject());
    }

    /** Parses a schema that references nothing. */
    static ParsedSchema parseStored(String text, String subject) {
        return parse(new Schema.Parser(), text, subject);
    }

    private static ParsedSchema parse(Schema.Parser parser, String text, String subject) {
        List<Schema> referenced = List.copyOf(parser.getTypes().values());
        Schema schema;
        try {
            // A new parser per schema: a parser remembers the names it has seen and is not thread-safe.
            schema = parser.parse(text);
        } catch (RuntimeException e) {
            throw RegistryError.invalidSchema("Invalid schema for subject '" + subject + "': " + reason(e, text)
                    + (referenced.isEmpty() ? "" : " (the references define " + names(referenced) + ")")
                    + " (the \"schema\" field must hold an Avro schema as a JSON string, such as "
                    + "\"{\\\"type\\\":\\\"string\\\"}\")");
        }
        // Referenced types stay names in the stored text, as the client wrote them.
        return new ParsedSchema(schema, referenced.isEmpty() ? schema.toString() : schema.toString(referenced, false));
    }

    /**
     * Parses the referenced versions into the parser, each one's own references first, each version once.
     *
     * @param live whether a reference must name a version that is not soft-deleted (new schemas), or may
     *             name any version still stored (schemas registered before)
     */
    private static void addReferences(Schema.Parser parser, String subject, List<SchemaReference> references,
            Versions versions, Set<Map.Entry<String, Integer>> seen, boolean live) {
        for (SchemaReference reference : references) {
            if (!seen.add(Map.entry(reference.subject(), reference.version()))) {
                continue;
            }
            SchemaValue target = versions.find(reference.subject(), reference.version())
                    .filter(v -> !live || !v.deleted())
                    .orElseThrow(() -> RegistryError.invalidSchema("Invalid schema for subject '" + subject
                            + "': the reference to '" + reference.name() + "' names subject '" + reference.subject()
                            + "' version " + reference.version() + ", which is not registered; register that "
                            + "version first, or correct the reference"));
            if (!target.schemaType().equals(AVRO)) {
                throw RegistryError.invalidSchema("Invalid schema for subject '" + subject + "': the reference to '"
                        + reference.name() + "' names a " + target.schemaType() + " schema; Avro can reference Avro only");
            }
            addReferences(parser, subject, target.references(), versions, seen, live);
            try {
                parser.parse(target.schema());
            } catch (RuntimeException e) {
                throw RegistryError.invalidSchema("Invalid schema for subject '" + subject + "': the referenced "
                        + "subject '" + reference.subject() + "' version " + reference.version()
                        + " does not parse with the types it references: " + e.getMessage());
            }
            if (!parser.getTypes().containsKey(reference.name())) {
                throw RegistryError.invalidSchema("Invalid schema for subject '" + subject + "': the reference names '"
                        + reference.name() + "', but subject '" + reference.subject() + "' version "
                        + reference.version() + " defines " + names(parser.getTypes().values())
                        + "; give the full name of a type it defines");
            }
        }
    }

    private static String names(Collection<Schema> schemas) {
        return schemas.stream().map(Schema::getFullName).sorted().toList().toString();
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
