package dev.fanout.query;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An answer: status, content type, body, and extra headers (such as {@code Retry-After}). */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, JSON, body, Map.of());
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
