package dev.fanout.query;

import java.util.Map;
import java.util.Objects;

/**
 * An answer other than 200, in the contract's form {@code {"error": code, "message": ...}}; the message
 * names the thing, the value and the fix.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;
    private final String allow;
    private final Map<String, String> fields;

    private ApiError(int status, String code, String message, Integer retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null, Map.of());
    }

    private ApiError(int status, String code, String message, Integer retryAfterSeconds, String allow,
            Map<String, String> fields) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.allow = allow;
        this.fields = Map.copyOf(fields);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message, null);
    }

    /** 503 with {@code Retry-After}: the answer may exist shortly (rebalancing, restoring). */
    public static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", message, 1);
    }

    /** 401: a changing request without the API's bearer token. */
    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, null);
    }

    /** 405 on a read-only route ({@code Allow: GET, HEAD}). */
    public static ApiError methodNotAllowed(String message) {
        return methodNotAllowed(message, "GET, HEAD");
    }

    /** 405, with the methods the route takes for the {@code Allow} header. */
    public static ApiError methodNotAllowed(String message, String allow) {
        return new ApiError(405, "bad_request", message, null, Objects.requireNonNull(allow, "allow"), Map.of());
    }

    /** 409: the request does not fit the thing's state, which {@code status} names (a field of the body). */
    public static ApiError conflict(String message, String status) {
        return new ApiError(409, "conflict", message, null, null, Map.of("status", Objects.requireNonNull(status, "status")));
    }

    public static ApiError internal(String message) {
        return new ApiError(500, "internal", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The {@code Allow} header of a 405, or null. */
    public String allow() {
        return allow;
    }

    /** Fields of the body after {@code error} and {@code message}, such as a 409's {@code status}. */
    public Map<String, String> fields() {
        return fields;
    }

    /** Seconds for the {@code Retry-After} header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
