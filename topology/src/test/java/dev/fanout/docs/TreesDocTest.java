package dev.fanout.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.FanoutConfig;
import dev.fanout.tree.CoordinatorStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** docs/trees.md names every store, state, option and setting of the tree coordinator, so it cannot drift. */
class TreesDocTest {

    private static final Path DOC = Path.of("..", "docs", "trees.md");

    @Test
    void everyStoreOfTheCoordinatorIsInTheStateTable() throws Exception {
        String doc = Files.readString(DOC);
        for (CoordinatorStores.Spec store : CoordinatorStores.all()) {
            assertThat(doc).contains("| `" + store.name() + "` |");
        }
    }

    @Test
    void everyRunStateIsExplained() throws Exception {
        String doc = Files.readString(DOC);
        for (RunNodeStatus status : RunNodeStatus.values()) {
            assertThat(doc).contains("| " + status.name());
        }
    }

    @Test
    void everyFanOutStateIsExplained() throws Exception {
        String doc = Files.readString(DOC);
        for (FanOutState state : FanOutState.values()) {
            if (state != FanOutState.UNKNOWN) {
                assertThat(doc).contains("| " + state.name() + " |");
            }
        }
    }

    @Test
    void everyFanOutAndRetryOptionHasItsSection() throws Exception {
        String doc = Files.readString(DOC);
        for (Schema.Field field : FanOutOptions.getClassSchema().getFields()) {
            assertThat(doc).contains("### `" + field.name() + "`");
        }
        assertThat(doc).contains("### `retry`");
        for (Schema.Field field : RetryPolicy.getClassSchema().getFields()) {
            assertThat(doc).contains(field.name());
        }
    }

    @Test
    void everyTreeSettingIsListed() throws Exception {
        String doc = Files.readString(DOC);
        for (String key : List.of(FanoutConfig.RESULTS_MAX, FanoutConfig.FAILURES_MAX, FanoutConfig.TIMERS_INTERVAL_MS,
                FanoutConfig.PROGRESS_INTERVAL_MS, FanoutConfig.TREE_RETENTION_MS, FanoutConfig.TREE_CLEANUP_BATCH)) {
            assertThat(doc).contains("| `" + key + "` |");
        }
    }

    @Test
    void everyIntegrationTestTheDocNamesExists() throws Exception {
        String doc = Files.readString(DOC);
        String tested = doc.substring(doc.indexOf("## How it is tested"), doc.indexOf("## Not implemented yet"));
        Matcher names = Pattern.compile("`(\\w+IT)`").matcher(tested);
        int named = 0;
        while (names.find()) {
            named++;
            assertThat(Path.of("src", "test", "java", "dev", "fanout", "app", names.group(1) + ".java")).exists();
        }
        assertThat(named).isGreaterThanOrEqualTo(7);
    }
}
