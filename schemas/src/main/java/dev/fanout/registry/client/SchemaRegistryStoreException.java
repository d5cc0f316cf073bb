package dev.fanout.registry.client;

/** The registry failed to read or write its backing store (Confluent error code 50001). */
public final class SchemaRegistryStoreException extends RestClientException {

    public static final int ERROR_CODE = 50001;

    public SchemaRegistryStoreException(int httpStatus, String registryMessage, String request) {
        super(httpStatus, ERROR_CODE, registryMessage, request);
    }
}
