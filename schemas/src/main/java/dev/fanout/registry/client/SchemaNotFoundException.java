package dev.fanout.registry.client;

/** No schema has this id, or the schema is not registered under the subject (Confluent error code 40403). */
public final class SchemaNotFoundException extends RestClientException {

    public static final int ERROR_CODE = 40403;

    public SchemaNotFoundException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
