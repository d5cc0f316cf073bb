package dev.fanout.registry.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a request to an endpoint by method and path pattern ({@code /subjects/{subject}/versions}).
 * A path that no pattern matches is a 404; a path that matches only under other methods is a 405,
 * as JAX-RS answers in Confluent's registry.
 */
final class Router {

    /** An endpoint: the request and the values of the pattern's {@code {names}}. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request, Map<String, String> params);
    }

    private record Route(String method, List<String> pattern, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router on(String method, String pattern, Handler handler) {
        routes.add(new Route(method, segments(pattern), handler));
        return this;
    }

    ApiResponse route(ApiRequest request) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = match(route.pattern(), request.path());
            if (params != null) {
                pathKnown = true;
                if (route.method().equals(request.method())) {
                    return route.handler().handle(request, params);
                }
            }
        }
        throw pathKnown ? RegistryError.methodNotAllowed() : RegistryError.notFound();
    }

    private static Map<String, String> match(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return params;
    }

    private static List<String> segments(String pattern) {
        List<String> segments = new ArrayList<>();
        for (String segment : pattern.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
