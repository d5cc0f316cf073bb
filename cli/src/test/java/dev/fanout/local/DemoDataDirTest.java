package dev.fanout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataDirTest {

    @TempDir
    Path dir;

    @Test
    void aNewDirectoryIsCreatedAndMarkedAsTheDemos() {
        Path prepared = DemoDataDir.prepare(dir.resolve("a/b"));

        assertThat(prepared).isDirectory().isEqualTo(dir.resolve("a/b").toAbsolutePath());
        assertThat(prepared.resolve(DemoDataDir.MARKER)).exists();
    }

    @Test
    void aPreviousDemosDirectoryIsEmptiedSoEachRunStartsFromNothing() throws Exception {
        Path demo = DemoDataDir.prepare(dir.resolve("demo"));
        Files.createDirectories(demo.resolve("kafka/fanout.triggers-0"));
        Files.writeString(demo.resolve("kafka/fanout.triggers-0/00000.log"), "old records");

        DemoDataDir.prepare(demo);

        try (var entries = Files.list(demo)) {
            assertThat(entries).containsExactly(demo.resolve(DemoDataDir.MARKER));
        }
    }

    @Test
    void anEmptyDirectoryIsTaken() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(DemoDataDir.prepare(empty).resolve(DemoDataDir.MARKER)).exists();
    }

    @Test
    void aDirectoryInUseByARunningDemoIsNotEmptied() throws Exception {
        Path demo = DemoDataDir.prepare(dir.resolve("demo"));
        Files.writeString(demo.resolve("data"), "in use");
        try (var channel = java.nio.channels.FileChannel.open(demo.resolve("lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                var lock = channel.lock()) {
            assertThatThrownBy(() -> DemoDataDir.prepare(demo)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--data-dir " + demo + " is in use by another 'fanout demo'")
                    .hasMessageContaining("give this one its own --data-dir");
        }
        assertThat(demo.resolve("data")).hasContent("in use");
    }

    @Test
    void aFileIsNotADataDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> DemoDataDir.prepare(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--data-dir " + file.toAbsolutePath() + " is a file; give a directory");
    }
}
