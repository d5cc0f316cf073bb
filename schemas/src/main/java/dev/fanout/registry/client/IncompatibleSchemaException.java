package dev.fanout.registry.client;

/** The schema breaks the subject's compatibility level (Confluent error code 409). */
public final class IncompatibleSchemaException extends RestClientException {

    public static final int ERROR_CODE = 409;

    public IncompatibleSchemaException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
