package dev.fanout.registry.client;

/** The subject has no such version (Confluent error code 40402). */
public final class VersionNotFoundException extends RestClientException {

    public static final int ERROR_CODE = 40402;

    public VersionNotFoundException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
