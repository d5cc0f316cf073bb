package dev.fanout.registry.server;

import java.util.List;

/**
 * An error the REST API answers with, as Confluent Schema Registry does: an HTTP status and a body
 * {@code {"error_code": N, "message": "..."}}. The codes and message formats are Confluent's, because
 * clients (serializers, tooling) branch on the codes and people search for the messages.
 */
final class RegistryError extends RuntimeException {

    private final int status;
    private final int errorCode;

    private RegistryError(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    private static RegistryError of(int status, int errorCode, String message) {
        return new RegistryError(status, errorCode, message, null);
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return of(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(int version) {
        return of(404, 40402, "Version " + version + " not found.");
    }

    static RegistryError schemaNotFound() {
        return of(404, 40403, "Schema not found");
    }

    static RegistryError schemaNotFound(int id) {
        return of(404, 40403, "Schema " + id + " not found");
    }

    static RegistryError subjectSoftDeleted(String subject) {
        return of(404, 40404, "Subject '" + subject + "' was soft deleted."
                + "Set permanent=true to delete permanently");
    }

    static RegistryError subjectNotSoftDeleted(String subject) {
        return of(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    static RegistryError versionSoftDeleted(String subject, int version) {
        return of(404, 40406, "Subject '" + subject + "' Version " + version + " was soft deleted."
                + "Set permanent=true to delete permanently");
    }

    static RegistryError versionNotSoftDeleted(String subject, int version) {
        return of(404, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted");
    }

    static RegistryError subjectCompatibilityNotConfigured(String subject) {
        return of(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    /** Confluent answers an incompatible registration with 409 and the reasons in the message. */
    static RegistryError incompatibleSchema(String subject, List<String> reasons) {
        return of(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + reasons);
    }

    static RegistryError invalidSchema(String message) {
        return of(422, 42201, message);
    }

    static RegistryError invalidVersion(String version) {
        return of(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String given) {
        return of(422, 42203, "Invalid compatibility level"
                + (given == null ? "" : " '" + given + "'")
                + ". Valid values are none, backward, forward, full, "
                + "backward_transitive, forward_transitive, and full_transitive");
    }

    static RegistryError operationNotPermitted(String message) {
        return of(422, 42205, message);
    }

    /** Confluent refuses to delete a version that other schemas reference, with 42206. */
    static RegistryError referenceExists(String subject, int version, List<Integer> referrers) {
        return of(422, 42206, "One or more references exist to the schema {subject=" + subject + ",version="
                + version + "}: schema ids " + referrers + " reference it; delete the versions that hold them first "
                + "(GET /subjects/" + subject + "/versions/" + version + "/referencedby lists them)");
    }

    /** A request body that is not the JSON the endpoint takes (Confluent's 422 with error code 422). */
    static RegistryError unprocessableBody(String message) {
        return of(422, 422, message);
    }

    static RegistryError store(String message, Throwable cause) {
        return new RegistryError(500, 50001, message, cause);
    }

    /** Confluent answers a request without valid basic auth credentials so. */
    static RegistryError unauthorized() {
        return of(401, 401, "Unauthorized: this registry requires HTTP basic auth; give the client "
                + "basic.auth.credentials.source and basic.auth.user.info (or credentials in schema.registry.url)");
    }

    static RegistryError notFound() {
        return of(404, 404, "HTTP 404 Not Found");
    }

    static RegistryError methodNotAllowed() {
        return of(405, 405, "HTTP 405 Method Not Allowed");
    }

    static RegistryError notAcceptable() {
        return of(406, 406, "HTTP 406 Not Acceptable");
    }

    static RegistryError unsupportedMediaType() {
        return of(415, 415, "HTTP 415 Unsupported Media Type");
    }

    static RegistryError internal(Throwable cause) {
        return new RegistryError(500, 500, "Internal Server Error", cause);
    }
}
