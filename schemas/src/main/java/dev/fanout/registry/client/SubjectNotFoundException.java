package dev.fanout.registry.client;

/** The subject does not exist, or was deleted (Confluent error code 40401). */
public final class SubjectNotFoundException extends RestClientException {

    public static final int ERROR_CODE = 40401;

    public SubjectNotFoundException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
