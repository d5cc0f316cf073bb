package dev.fanout.registry.client;

/**
 * Base of everything the registry client throws. Unchecked, so that the client can be used from
 * lambdas and from Kafka serdes, whose methods declare no checked exceptions.
 */
public class SchemaRegistryException extends RuntimeException {

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
