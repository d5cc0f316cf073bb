package dev.fanout.registry.client;

/** The version cannot be deleted: other schemas reference it (Confluent error code 42206). */
public final class ReferenceExistsException extends RestClientException {

    public static final int ERROR_CODE = 42206;

    public ReferenceExistsException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
