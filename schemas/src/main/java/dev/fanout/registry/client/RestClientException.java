package dev.fanout.registry.client;

import java.util.Objects;

/**
 * The registry answered with an error: an HTTP status of 400 or more and, usually, Confluent's error
 * body {@code {"error_code": 40401, "message": "Subject not found"}}. Subclasses name the error codes
 * a caller may want to handle; {@link #of} picks the right one.
 */
public class RestClientException extends SchemaRegistryException {

    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;
    private final String request;

    /**
     * @param httpStatus      the HTTP status of the answer
     * @param errorCode       Confluent's {@code error_code}, or the HTTP status when the body had none
     * @param registryMessage the registry's {@code message}, or a description of the body
     * @param request         method and URL of the request, for the exception message
     */
    public RestClientException(int httpStatus, int errorCode, String registryMessage, String request) {
        super(request + " failed with HTTP " + httpStatus + ", error code " + errorCode + ": " + registryMessage);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = Objects.requireNonNull(registryMessage, "registryMessage");
        this.request = Objects.requireNonNull(request, "request");
    }

    /** The typed exception for an error code, falling back to this base class for codes we do not name. */
    public static RestClientException of(int httpStatus, int errorCode, String registryMessage, String request) {
        return switch (errorCode) {
            case SubjectNotFoundException.ERROR_CODE ->
                    new SubjectNotFoundException(httpStatus, registryMessage, request);
            case VersionNotFoundException.ERROR_CODE ->
                    new VersionNotFoundException(httpStatus, registryMessage, request);
            case SchemaNotFoundException.ERROR_CODE ->
                    new SchemaNotFoundException(httpStatus, registryMessage, request);
            case IncompatibleSchemaException.ERROR_CODE ->
                    new IncompatibleSchemaException(httpStatus, registryMessage, request);
            case InvalidSchemaException.ERROR_CODE ->
                    new InvalidSchemaException(httpStatus, registryMessage, request);
            case InvalidVersionException.ERROR_CODE ->
                    new InvalidVersionException(httpStatus, registryMessage, request);
            case InvalidCompatibilityLevelException.ERROR_CODE ->
                    new InvalidCompatibilityLevelException(httpStatus, registryMessage, request);
            case ReferenceExistsException.ERROR_CODE ->
                    new ReferenceExistsException(httpStatus, registryMessage, request);
            case SchemaRegistryStoreException.ERROR_CODE ->
                    new SchemaRegistryStoreException(httpStatus, registryMessage, request);
            default -> new RestClientException(httpStatus, errorCode, registryMessage, request);
        };
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    public String registryMessage() {
        return registryMessage;
    }

    /** Method and URL of the failed request, such as {@code GET http://registry:8081/schemas/ids/7}. */
    public String request() {
        return request;
    }
}
