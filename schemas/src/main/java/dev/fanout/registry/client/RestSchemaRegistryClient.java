package dev.fanout.registry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} that speaks Confluent Schema Registry's REST API over
 * {@link java.net.http.HttpClient}. It caches nothing; wrap it in {@link CachingSchemaRegistryClient}
 * where it serves a serde. Delivery (failover, retries, auth, TLS) is {@link RegistryHttpTransport}'s job;
 * this class maps calls to paths and JSON, and error answers to typed exceptions.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The error code with which a subject without a compatibility level of its own answers. */
    private static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;

    private final RegistryHttpTransport transport;

    public RestSchemaRegistryClient(RegistryClientSettings settings) {
        this(settings, Sleeper.THREAD_SLEEP);
    }

    RestSchemaRegistryClient(RegistryClientSettings settings, Sleeper sleeper) {
        this.transport = new RegistryHttpTransport(settings, sleeper);
    }

    @Override
    public int register(String subject, Schema schema, boolean normalize) {
        JsonNode answer = call("POST", subjectPath(subject) + "/versions" + normalizeQuery(normalize), schemaBody(schema));
        return requiredInt(answer, "id");
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema, boolean normalize) {
        JsonNode answer = call("POST", subjectPath(subject) + normalizeQuery(normalize), schemaBody(schema));
        return registeredSchema(answer);
    }

    @Override
    public Schema getSchemaById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, Optional.empty());
        return parseAvro(answer, referencedSchemas(answer), "schema id " + id);
    }

    @Override
    public List<String> getAllSubjects() {
        List<String> subjects = new ArrayList<>();
        requiredArray(call("GET", "/subjects", Optional.empty())).forEach(node -> subjects.add(node.asText()));
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> getAllVersions(String subject) {
        return intList(call("GET", subjectPath(subject) + "/versions", Optional.empty()));
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return registeredSchema(call("GET", versionPath(subject, Integer.toString(version)), Optional.empty()));
    }

    @Override
    public RegisteredSchema getLatestVersion(String subject) {
        return registeredSchema(call("GET", versionPath(subject, "latest"), Optional.empty()));
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        return intList(call("DELETE", subjectPath(subject), Optional.empty()));
    }

    @Override
    public int deleteVersion(String subject, int version) {
        JsonNode answer = call("DELETE", versionPath(subject, Integer.toString(version)), Optional.empty());
        if (!answer.canConvertToInt()) {
            throw unexpected("DELETE " + versionPath(subject, Integer.toString(version)), "a version number", answer);
        }
        return answer.asInt();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
        return compatibility(subject, Integer.toString(version), schema);
    }

    @Override
    public CompatibilityResult testCompatibilityWithLatest(String subject, Schema schema) {
        return compatibility(subject, "latest", schema);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return compatibilityLevel(call("GET", "/config", Optional.empty()));
    }

    @Override
    public CompatibilityLevel setCompatibility(CompatibilityLevel level) {
        return compatibilityLevel(call("PUT", "/config", compatibilityBody(level)));
    }

    @Override
    public Optional<CompatibilityLevel> getCompatibility(String subject, boolean defaultToGlobal) {
        try {
            JsonNode answer = call("GET", "/config/" + pathSegment(subject) + "?defaultToGlobal=" + defaultToGlobal,
                    Optional.empty());
            return Optional.of(compatibilityLevel(answer));
        } catch (RestClientException e) {
            // Registries before Confluent 7 said "subject not found" (40401) where newer ones say 40408.
            if (e.errorCode() == SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED
                    || e.errorCode() == SubjectNotFoundException.ERROR_CODE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        return compatibilityLevel(call("PUT", "/config/" + pathSegment(subject), compatibilityBody(level)));
    }

    private CompatibilityResult compatibility(String subject, String version, Schema schema) {
        JsonNode answer = call("POST", "/compatibility" + versionPath(subject, version) + "?verbose=true",
                schemaBody(schema));
        JsonNode isCompatible = answer.get("is_compatible");
        if (isCompatible == null || !isCompatible.isBoolean()) {
            throw unexpected("POST /compatibility" + versionPath(subject, version), "is_compatible", answer);
        }
        List<String> messages = new ArrayList<>();
        JsonNode messageNodes = answer.get("messages");
        if (messageNodes != null && messageNodes.isArray()) {
            messageNodes.forEach(node -> messages.add(node.asText()));
        }
        return new CompatibilityResult(isCompatible.asBoolean(), messages);
    }

    /** Sends and parses; an error answer becomes the typed exception for its error code. */
    private JsonNode call(String method, String pathAndQuery, Optional<String> body) {
        RegistryHttpTransport.Response response = transport.send(method, pathAndQuery, body);
        if (response.status() >= 400) {
            throw errorOf(response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(response.request() + " answered HTTP " + response.status()
                    + " with a body that is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static RestClientException errorOf(RegistryHttpTransport.Response response) {
        try {
            JsonNode error = JSON.readTree(response.body());
            JsonNode code = error == null ? null : error.get("error_code");
            if (code != null && code.canConvertToInt()) {
                JsonNode message = error.get("message");
                return RestClientException.of(response.status(), code.asInt(),
                        message == null ? "" : message.asText(), response.request());
            }
        } catch (JsonProcessingException e) {
            // Not Confluent's error JSON (a proxy's HTML page, say): described below.
        }
        return RestClientException.of(response.status(), response.status(),
                "the body is not Confluent error JSON: " + abbreviate(response.body()), response.request());
    }

    private RegisteredSchema registeredSchema(JsonNode answer) {
        requireAvro(answer, "subject " + answer.path("subject").asText());
        return new RegisteredSchema(requiredText(answer, "subject"), requiredInt(answer, "version"),
                requiredInt(answer, "id"), requiredText(answer, "schema"), references(answer),
                referencedSchemas(answer));
    }

    /**
     * The texts of the versions a schema references, and of the ones they reference, each after the ones it
     * needs and each once, fetched from the registry ({@code GET /subjects/{subject}/versions/{version}}).
     */
    private List<String> referencedSchemas(JsonNode answer) {
        List<String> texts = new ArrayList<>();
        collectReferenced(references(answer), texts, new HashSet<>());
        return texts;
    }

    private void collectReferenced(List<SchemaReference> references, List<String> texts, Set<SchemaReference> seen) {
        for (SchemaReference reference : references) {
            if (!seen.add(new SchemaReference("", reference.subject(), reference.version()))) {
                continue;
            }
            JsonNode version = call("GET", versionPath(reference.subject(), Integer.toString(reference.version())),
                    Optional.empty());
            requireAvro(version, "subject " + reference.subject() + " version " + reference.version());
            collectReferenced(references(version), texts, seen);
            texts.add(requiredText(version, "schema"));
        }
    }

    private static List<SchemaReference> references(JsonNode answer) {
        JsonNode references = answer.get("references");
        if (references == null || references.isNull()) {
            return List.of();
        }
        List<SchemaReference> found = new ArrayList<>();
        for (JsonNode reference : references) {
            found.add(new SchemaReference(requiredText(reference, "name"), requiredText(reference, "subject"),
                    requiredInt(reference, "version")));
        }
        return found;
    }

    private static Schema parseAvro(JsonNode answer, List<String> referencedSchemas, String what) {
        requireAvro(answer, what);
        try {
            return RegisteredSchema.parse(requiredText(answer, "schema"), referencedSchemas);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(what + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    /** The registry omits schemaType for Avro and names it for the other formats, which we cannot read. */
    private static void requireAvro(JsonNode answer, String what) {
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw new SchemaRegistryException(what + " is a " + type.asText() + " schema; only Avro is supported");
        }
    }

    private static CompatibilityLevel compatibilityLevel(JsonNode answer) {
        // GET answers {"compatibilityLevel": ...}; PUT echoes the request, {"compatibility": ...}.
        JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        if (level == null || !level.isTextual()) {
            throw unexpected("/config", "compatibilityLevel", answer);
        }
        try {
            return CompatibilityLevel.valueOf(level.asText());
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException("unknown compatibility level from the registry: " + level.asText(), e);
        }
    }

    private static Optional<String> schemaBody(Schema schema) {
        Objects.requireNonNull(schema, "schema");
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return Optional.of(body.toString());
    }

    private static Optional<String> compatibilityBody(CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level.name());
        return Optional.of(body.toString());
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + pathSegment(subject);
    }

    private static String versionPath(String subject, String version) {
        return subjectPath(subject) + "/versions/" + version;
    }

    private static String normalizeQuery(boolean normalize) {
        return normalize ? "?normalize=true" : "";
    }

    /** Percent-encodes a subject for use as one path segment: a '/' in a subject must not split the path. */
    static String pathSegment(String value) {
        Objects.requireNonNull(value, "subject");
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<Integer> intList(JsonNode answer) {
        List<Integer> values = new ArrayList<>();
        requiredArray(answer).forEach(node -> values.add(node.asInt()));
        return List.copyOf(values);
    }

    private static JsonNode requiredArray(JsonNode answer) {
        if (!answer.isArray()) {
            throw unexpected("the registry", "a JSON array", answer);
        }
        return answer;
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected("the registry", field, answer);
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpected("the registry", field, answer);
        }
        return value.asText();
    }

    private static SchemaRegistryException unexpected(String source, String expected, JsonNode answer) {
        return new SchemaRegistryException("unexpected answer from " + source + ": expected " + expected
                + " in " + abbreviate(answer.toString()));
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 200) + "...'";
    }
}
