package dev.fanout.registry.server;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the endpoints see it: method, decoded path segments, query parameters and body.
 * Kept apart from {@code HttpExchange} so routing and endpoints are plain functions.
 */
record ApiRequest(String method, List<String> path, Map<String, String> query, byte[] body) {

    ApiRequest {
        path = List.copyOf(path);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A boolean query parameter the way JAX-RS reads one: true only when it says "true". */
    boolean flag(String name) {
        return Boolean.parseBoolean(query.get(name));
    }
}
