package dev.fanout.registry.client;

/** The compatibility level is not one the registry knows (Confluent error code 42203). */
public final class InvalidCompatibilityLevelException extends RestClientException {

    public static final int ERROR_CODE = 42203;

    public InvalidCompatibilityLevelException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
