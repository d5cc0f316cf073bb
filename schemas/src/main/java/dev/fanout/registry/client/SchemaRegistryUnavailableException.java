package dev.fanout.registry.client;

/**
 * No registry answered: every base URL refused the connection, timed out or kept answering 5xx until
 * the retries ran out. Distinct from {@link RestClientException} because the request itself may be
 * fine; callers such as a deserialization handler must not treat a registry outage as bad data.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
