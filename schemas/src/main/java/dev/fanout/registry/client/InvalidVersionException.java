package dev.fanout.registry.client;

/** The version is neither a positive number nor {@code latest} (Confluent error code 42202). */
public final class InvalidVersionException extends RestClientException {

    public static final int ERROR_CODE = 42202;

    public InvalidVersionException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
