package dev.fanout.query;

import java.util.Map;
import java.util.Objects;

/**
 * A request as the API sees it: method, raw (still percent-encoded) path, decoded query parameters, the
 * raw query to forward unchanged, and whether another instance forwarded it.
 */
record ApiRequest(String method, String rawPath, Map<String, String> query, String rawQuery, boolean forwarded) {

    ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        query = Map.copyOf(query);
    }

    String pathAndQuery() {
        return rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }
}
