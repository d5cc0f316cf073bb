package dev.fanout.query;

import java.util.Objects;

/**
 * An answer other than 200, in the contract's form {@code {"error": code, "message": ...}}; the message
 * names the thing, the value and the fix.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    private ApiError(int status, String code, String message, Integer retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
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

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "bad_request", message, null);
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

    /** Seconds for the {@code Retry-After} header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
