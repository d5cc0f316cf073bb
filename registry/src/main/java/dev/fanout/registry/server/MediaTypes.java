package dev.fanout.registry.server;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The content types of Confluent's API: it answers in its own v1 type unless the client accepts only
 * another JSON type, and takes request bodies in any of its JSON types or as octet-stream (the type
 * JAX-RS assumes when a request names none).
 */
final class MediaTypes {

    static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
    static final String REGISTRY_JSON = "application/vnd.schemaregistry+json";
    static final String JSON = "application/json";
    static final String OCTET_STREAM = "application/octet-stream";

    private static final Set<String> REQUEST_TYPES = Set.of(V1_JSON, REGISTRY_JSON, JSON, OCTET_STREAM);

    private MediaTypes() {
    }

    /**
     * The type to answer in, in Confluent's order of preference, given the request's Accept header.
     *
     * @throws RegistryError 406 when the client accepts none of them
     */
    static String responseType(String accept) {
        if (accept == null || accept.isBlank()) {
            return V1_JSON;
        }
        Set<String> accepted = new HashSet<>();
        for (String range : accept.split(",")) {
            accepted.add(bare(range));
        }
        if (accepted.contains(V1_JSON) || accepted.contains("*/*") || accepted.contains("application/*")) {
            return V1_JSON;
        }
        if (accepted.contains(REGISTRY_JSON)) {
            return REGISTRY_JSON;
        }
        if (accepted.contains(JSON)) {
            return JSON;
        }
        throw RegistryError.notAcceptable();
    }

    /** @throws RegistryError 415 when a request body's declared type is not one the API takes */
    static void checkRequestType(String contentType) {
        if (contentType != null && !contentType.isBlank() && !REQUEST_TYPES.contains(bare(contentType))) {
            throw RegistryError.unsupportedMediaType();
        }
    }

    /** The type without parameters such as charset or q. */
    private static String bare(String mediaType) {
        int parameters = mediaType.indexOf(';');
        return (parameters < 0 ? mediaType : mediaType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
