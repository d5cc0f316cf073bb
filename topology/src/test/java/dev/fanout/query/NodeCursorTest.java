package dev.fanout.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.tree.StoreKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The opaque cursor of a node page: the last key, only valid for the listing it came from. */
class NodeCursorTest {

    private static final String ROOT = StoreKeys.childrenOf("ev-1", null);
    private static final String KEY = ROOT + "0000000000|0000000007|app-a/per-target";

    @Test
    void aCursorDecodesToTheKeyItWasMadeOf() {
        assertThat(NodeCursor.decode(NodeCursor.encode(KEY), ROOT)).contains(KEY);
    }

    @Test
    void aCursorIsUrlSafeWithoutPadding() {
        String cursor = NodeCursor.encode(ROOT + "0000000000|-|ü/ß?&=+");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aCursorOfAnotherParentOrTreeIsRefused() {
        String cursor = NodeCursor.encode(KEY);
        assertThat(NodeCursor.decode(cursor, StoreKeys.childrenOf("ev-1", "r-1"))).isEmpty();
        assertThat(NodeCursor.decode(cursor, StoreKeys.childrenOf("ev-10", null))).isEmpty();
    }

    @Test
    void textThatIsNotACursorIsRefused() {
        assertThat(NodeCursor.decode("%%%", ROOT)).isEmpty();
        assertThat(NodeCursor.decode("", ROOT)).isEmpty();
        String unversioned = Base64.getUrlEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(NodeCursor.decode(unversioned, ROOT)).isEmpty();
        String prefixOnly = Base64.getUrlEncoder().encodeToString(("n1:" + ROOT).getBytes(StandardCharsets.UTF_8));
        assertThat(NodeCursor.decode(prefixOnly, ROOT)).isEmpty();
    }

    @Test
    void theRootPrefixOfATreeNeverContainsTheChildrenOfARunOrAnotherTree() {
        // Length prefixes keep ids that extend one another apart
        assertThat(StoreKeys.childrenOf("ev-1", "r-1")).doesNotStartWith(ROOT);
        assertThat(StoreKeys.childrenOf("ev-10", null)).doesNotStartWith(StoreKeys.treePrefix("ev-1"));
        assertThat(StoreKeys.prefixEnd(ROOT)).isGreaterThan(KEY);
    }
}
