package dev.fanout.registry.server;

/** A status and a JSON body, ready to send. */
record ApiResponse(int status, String json) {

    static ApiResponse ok(String json) {
        return new ApiResponse(200, json);
    }
}
