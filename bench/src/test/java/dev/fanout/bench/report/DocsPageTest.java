package dev.fanout.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.bench.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsPageTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheTextBetweenTheMarkersIsReplaced() {
        String page = "# Benchmarks\n\nMethod.\n\n" + DocsPage.START + "\nold table\n" + DocsPage.END + "\n\nAnalysis.\n";

        String updated = DocsPage.replaceResults(page, "new table\n", Path.of("benchmarks.md"));

        assertThat(updated).isEqualTo("# Benchmarks\n\nMethod.\n\n" + DocsPage.START + "\nnew table\n" + DocsPage.END
                + "\n\nAnalysis.\n");
    }

    @Test
    void aPageWithoutMarkersIsRefusedWithTheFix() {
        assertThatThrownBy(() -> DocsPage.replaceResults("# Benchmarks\n", "table", Path.of("docs/benchmarks.md")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("docs/benchmarks.md has no results section to regenerate: put the lines '"
                        + DocsPage.START + "' and '" + DocsPage.END + "' (in that order) where the results belong");
    }

    @Test
    void theTableJsonAndPlotsGoIntoThePageAndTheDirectoryBesideIt() throws Exception {
        Path page = dir.resolve("benchmarks.md");
        Files.writeString(page, "intro\n" + DocsPage.START + "\n" + DocsPage.END + "\n");

        DocsPage.write(Reports.ceiling(), page, "./fanout bench ceiling --docs");

        String text = Files.readString(page);
        assertThat(text).contains("Taken on 2026-11-21 14:00 UTC with `./fanout bench ceiling --docs`.")
                .contains("| ceiling | produce transactional |")
                .contains("![ceiling records per s](benchmarks/ceiling-records-per-s.png)")
                .endsWith(DocsPage.END + "\n");
        assertThat(dir.resolve("benchmarks/results.json")).isRegularFile();
        assertThat(dir.resolve("benchmarks/ceiling-records-per-s.png")).isRegularFile();
    }
}
