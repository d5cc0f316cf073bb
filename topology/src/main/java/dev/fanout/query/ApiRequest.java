package dev.fanout.query;

import java.util.Map;
import java.util.Objects;

/**
 * A request as the API sees it: method, raw (still percent-encoded) path, decoded query parameters, the
 * raw query to forward unchanged, whether another instance forwarded it, and its body (empty for reads).
 */
record ApiRequest(String method, String rawPath, Map<String, String> query, String rawQuery, boolean forwarded,
        byte[] body) {

    ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A request without a body. */
    ApiRequest(String method, String rawPath, Map<String, String> query, String rawQuery, boolean forwarded) {
        this(method, rawPath, query, rawQuery, forwarded, null);
    }

    String pathAndQuery() {
        return rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }
}
