package dev.fanout.registry.client;

/** The registry could not parse the schema (Confluent error code 42201). */
public final class InvalidSchemaException extends RestClientException {

    public static final int ERROR_CODE = 42201;

    public InvalidSchemaException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
