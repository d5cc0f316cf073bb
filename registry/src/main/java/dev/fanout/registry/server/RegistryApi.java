package dev.fanout.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The REST endpoints, with Confluent Schema Registry's paths, parameters and response bodies. Each turns
 * a request into a call on the {@link Registry} and its answer into JSON; the rules live in the registry.
 */
final class RegistryApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registry registry;

    RegistryApi(Registry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    Router router() {
        return new Router()
                .on("GET", "/", (r, p) -> ApiResponse.ok("{}"))
                .on("GET", "/subjects", (r, p) -> ok(registry.subjects(r.flag("deleted"))))
                .on("GET", "/subjects/{subject}/versions",
                        (r, p) -> ok(registry.versions(p.get("subject"), r.flag("deleted"))))
                .on("POST", "/subjects/{subject}/versions", this::register)
                .on("GET", "/subjects/{subject}/versions/{version}",
                        (r, p) -> ok(schema(version(r, p))))
                .on("GET", "/subjects/{subject}/versions/{version}/schema",
                        (r, p) -> ApiResponse.ok(version(r, p).schema()))
                .on("GET", "/subjects/{subject}/versions/{version}/referencedby", (r, p) -> ok(registry.referencedBy(
                        p.get("subject"), VersionId.parse(p.get("version")))))
                .on("DELETE", "/subjects/{subject}/versions/{version}", (r, p) -> ok(registry.deleteVersion(
                        p.get("subject"), VersionId.parse(p.get("version")), r.flag("permanent"))))
                .on("POST", "/subjects/{subject}", (r, p) -> ok(schema(registry.lookup(
                        p.get("subject"), RequestBodies.schemaRequest(r.body()), r.flag("deleted")))))
                .on("DELETE", "/subjects/{subject}",
                        (r, p) -> ok(registry.deleteSubject(p.get("subject"), r.flag("permanent"))))
                .on("GET", "/schemas/types", (r, p) -> ok(List.of(AvroSchemas.AVRO)))
                .on("GET", "/schemas/ids/{id}", (r, p) -> ok(schemaString(registry.schemaById(id(p)))))
                .on("GET", "/schemas/ids/{id}/versions", this::versionsWithId)
                .on("POST", "/compatibility/subjects/{subject}/versions/{version}",
                        (r, p) -> compatibility(r, p.get("subject"), VersionId.parse(p.get("version"))))
                .on("POST", "/compatibility/subjects/{subject}/versions",
                        (r, p) -> compatibility(r, p.get("subject"), VersionId.LATEST))
                .on("GET", "/config", (r, p) -> ok(level(registry.globalLevel())))
                .on("PUT", "/config", (r, p) -> setLevel(r, null))
                .on("DELETE", "/config", (r, p) -> ok(level(registry.deleteGlobalLevel())))
                .on("GET", "/config/{subject}",
                        (r, p) -> ok(level(registry.subjectLevel(p.get("subject"), r.flag("defaultToGlobal")))))
                .on("PUT", "/config/{subject}", (r, p) -> setLevel(r, p.get("subject")))
                .on("DELETE", "/config/{subject}", (r, p) -> ok(level(registry.deleteSubjectLevel(p.get("subject")))));
    }

    private ApiResponse register(ApiRequest request, Map<String, String> params) {
        int id = registry.register(params.get("subject"), RequestBodies.schemaRequest(request.body()));
        return ok(JSON.createObjectNode().put("id", id));
    }

    private SchemaValue version(ApiRequest request, Map<String, String> params) {
        return registry.version(params.get("subject"), VersionId.parse(params.get("version")), request.flag("deleted"));
    }

    private ApiResponse versionsWithId(ApiRequest request, Map<String, String> params) {
        ArrayNode pairs = JSON.createArrayNode();
        for (SchemaValue value : registry.versionsWithId(id(params), request.flag("deleted"))) {
            pairs.addObject().put("subject", value.subject()).put("version", value.version());
        }
        return ok(pairs);
    }

    private ApiResponse compatibility(ApiRequest request, String subject, VersionId versionId) {
        List<String> reasons = registry.testCompatibility(subject, versionId, RequestBodies.schemaRequest(request.body()));
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", reasons.isEmpty());
        if (request.flag("verbose")) {
            ArrayNode messages = answer.putArray("messages");
            reasons.forEach(messages::add);
        }
        return ok(answer);
    }

    private ApiResponse setLevel(ApiRequest request, String subject) {
        String given = RequestBodies.compatibility(request.body());
        CompatibilityLevel level = CompatibilityLevel.parse(given)
                .orElseThrow(() -> RegistryError.invalidCompatibilityLevel(given));
        registry.setLevel(subject, level);
        return ok(JSON.createObjectNode().put("compatibility", level.name()));
    }

    /** Confluent's schema entity; it leaves out schemaType for AVRO, and references when there are none. */
    private static ObjectNode schema(SchemaValue value) {
        ObjectNode entity = JSON.createObjectNode()
                .put("subject", value.subject())
                .put("version", value.version())
                .put("id", value.id());
        putReferences(entity, value);
        return entity.put("schema", value.schema());
    }

    /** Confluent's answer to {@code GET /schemas/ids/{id}}: the schema, and its references if it has any. */
    private static ObjectNode schemaString(SchemaValue value) {
        ObjectNode entity = JSON.createObjectNode().put("schema", value.schema());
        putReferences(entity, value);
        return entity;
    }

    private static void putReferences(ObjectNode entity, SchemaValue value) {
        if (!value.references().isEmpty()) {
            ArrayNode references = entity.putArray("references");
            for (SchemaReference reference : value.references()) {
                references.addObject().put("name", reference.name()).put("subject", reference.subject())
                        .put("version", reference.version());
            }
        }
    }

    private static ObjectNode level(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    /** A schema id in a path; like JAX-RS, a path whose id is not a number names nothing (404). */
    private static int id(Map<String, String> params) {
        try {
            return Integer.parseInt(params.get("id"));
        } catch (NumberFormatException e) {
            throw RegistryError.notFound();
        }
    }

    private static ApiResponse ok(Object body) {
        try {
            return ApiResponse.ok(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
