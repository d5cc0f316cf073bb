package dev.fanout.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The opaque {@code cursor} of a node page: the store key of the last child returned, base64url-encoded
 * with a version, so the next page is one range scan from just after it. A cursor is only valid for the
 * listing (tree and parent) it came from: its key must lie under that listing's prefix.
 */
final class NodeCursor {

    private static final String VERSION = "n1:";

    private NodeCursor() {
    }

    static String encode(String lastKey) {
        Objects.requireNonNull(lastKey, "lastKey");
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key named by {@code cursor}, if it is a cursor of the listing under {@code prefix}. */
    static Optional<String> decode(String cursor, String prefix) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith(VERSION)) {
            return Optional.empty();
        }
        String key = text.substring(VERSION.length());
        return key.startsWith(prefix) && key.length() > prefix.length() ? Optional.of(key) : Optional.empty();
    }
}
