package dev.fanout.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.types.Password;

/** HTTP basic auth of the embedded registry: the users and passwords it admits, or anyone when there are none. */
final class BasicAuth {

    static final String REALM = "SchemaRegistry";
    static final BasicAuth NONE = new BasicAuth(Map.of());

    private final Map<String, Password> users;

    BasicAuth(Map<String, Password> users) {
        this.users = Map.copyOf(Objects.requireNonNull(users, "users"));
    }

    boolean isOn() {
        return !users.isEmpty();
    }

    /** Whether a request with this {@code Authorization} header (null when absent) may be served. */
    boolean admits(String authorization) {
        if (users.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        Password expected = users.get(credentials.substring(0, colon));
        // Compared in constant time, so the answer's timing tells nothing about the password.
        return expected != null && MessageDigest.isEqual(expected.value().getBytes(StandardCharsets.UTF_8),
                credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }
}
