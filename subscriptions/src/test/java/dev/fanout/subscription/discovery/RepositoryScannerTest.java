package dev.fanout.subscription.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.takofile.SourceError;
import dev.fanout.subscription.takofile.TakoFileParser;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryScannerTest {

    @TempDir
    Path root;

    private final RepositoryScanner scanner = RepositoryScanner.withDefaults();

    private static String subscriptionNamed(String name) {
        return """
                subscriptions:
                  - name: %s
                    artifact: lib-core:release
                    events: [published]
                    schema_version: "^1.0.0"
                    workflow: build
                """.formatted(name);
    }

    private Path repository(String relative, String takoYml) throws IOException {
        Path dir = Files.createDirectories(root.resolve(relative));
        Files.writeString(dir.resolve(TakoFileParser.FILE_NAME), takoYml);
        return dir;
    }

    /** A healthy repository next to the broken thing under test: it must still be found. */
    private void healthyNeighbour() throws IOException {
        repository("svc-ok", subscriptionNamed("build"));
    }

    private static void assertHealthyNeighbourFound(ScanResult result) {
        assertThat(result.subscriptions()).extracting(Subscription::getId).contains("svc-ok/build");
    }

    @Test
    void repositoriesAreNamedByTheirPathBelowTheRootAndSubscriptionsSortedById() throws IOException {
        // Given
        repository("svc-b", subscriptionNamed("on-release"));
        repository("acme/svc-a", subscriptionNamed("on-release"));
        repository("acme/tools/linter", subscriptionNamed("check"));

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.errors()).isEmpty();
        assertThat(result.repositories()).containsExactly("acme/svc-a", "acme/tools/linter", "svc-b");
        assertThat(result.subscriptions()).extracting(Subscription::getId)
                .containsExactly("acme/svc-a/on-release", "acme/tools/linter/check", "svc-b/on-release");
        assertThat(result.subscriptions()).extracting(Subscription::getRepo)
                .containsExactly("acme/svc-a", "acme/tools/linter", "svc-b");
    }

    @Test
    void theLimitsOfEachRepositoryAreCollectedByRepositoryAndAWrongOneMakesItIncomplete() throws IOException {
        // Given
        repository("acme/deployer", subscriptionNamed("deploy") + "limits: {max_in_flight: 3}\n");
        repository("svc-b", subscriptionNamed("build"));
        repository("svc-c", subscriptionNamed("build") + "limits: {max_in_flight: 0}\n");

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.limits()).containsExactly(entry("acme/deployer", new RepoLimits("acme/deployer", 3)));
        assertThat(result.errors()).extracting(SourceError::file).containsExactly("svc-c/tako.yml");
        assertThat(result.isIncomplete("svc-c")).isTrue();
    }

    @Test
    void foldersInsideARepositoryAreNotScannedForMoreRepositories() throws IOException {
        // Given a vendored dependency that carries its own tako.yml
        repository("svc-a", subscriptionNamed("build"));
        repository("svc-a/vendor/lib", subscriptionNamed("vendored"));

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.repositories()).containsExactly("svc-a");
    }

    @Test
    void hiddenFoldersAreSkipped() throws IOException {
        repository(".cache/svc-x", subscriptionNamed("build"));
        healthyNeighbour();

        ScanResult result = scanner.scan(root);

        assertThat(result.repositories()).containsExactly("svc-ok");
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void aYamlSyntaxErrorIsAnErrorForThatFileOnly() throws IOException {
        // Given
        repository("svc-broken", "subscriptions: [\n");
        healthyNeighbour();

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.errors()).singleElement().asString().startsWith("svc-broken/tako.yml:2: YAML syntax error");
        assertHealthyNeighbourFound(result);
        assertThat(result.isIncomplete("svc-broken")).isTrue();
        assertThat(result.isIncomplete("svc-ok")).isFalse();
    }

    @Test
    void anAliasBombIsAnErrorForThatFileOnly() throws IOException {
        repository("svc-bomb", "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n");
        healthyNeighbour();

        ScanResult result = scanner.scan(root);

        assertThat(result.errors()).singleElement().asString().startsWith("svc-bomb/tako.yml:2: YAML alias '*a'");
        assertHealthyNeighbourFound(result);
    }

    @Test
    void aHugeFileIsRefusedWithoutStoppingTheScan() throws IOException {
        // Given a sparse 10 MB tako.yml
        Path dir = Files.createDirectories(root.resolve("svc-huge"));
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("tako.yml").toFile(), "rw")) {
            raf.setLength(10L * 1024 * 1024);
        }
        healthyNeighbour();

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.errors()).singleElement().asString().startsWith("svc-huge/tako.yml: file is 10485760 bytes");
        assertHealthyNeighbourFound(result);
    }

    @Test
    void aSymbolicLinkLoopIsReportedAndNotFollowed() throws IOException {
        // Given acme/loop points back at the root
        repository("acme/svc-a", subscriptionNamed("build"));
        Files.createSymbolicLink(root.resolve("acme/loop"), root);
        healthyNeighbour();

        // When
        ScanResult result = scanner.scan(root);

        // Then
        assertThat(result.errors()).singleElement().asString()
                .isEqualTo("acme/loop: is a symbolic link and is not followed; repositories must be real folders under the root");
        assertThat(result.repositories()).containsExactly("acme/svc-a", "svc-ok");
    }

    @Test
    void aSelfReferencingSymbolicLinkIsReportedAndNotFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("spin"), root.resolve("spin"));
        healthyNeighbour();

        ScanResult result = scanner.scan(root);

        assertThat(result.errors()).extracting(SourceError::file).containsExactly("spin");
        assertHealthyNeighbourFound(result);
    }

    @Test
    void anUnreadableFolderIsAnErrorAndTheScanGoesOn() throws IOException {
        // Given
        Path locked = repository("acme/svc-locked", subscriptionNamed("build")).getParent();
        healthyNeighbour();
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked), "running with privileges that read any folder (root)");

            // When
            ScanResult result = scanner.scan(root);

            // Then
            assertThat(result.errors()).singleElement().asString().isEqualTo("acme: cannot read: permission denied");
            assertHealthyNeighbourFound(result);
            assertThat(result.isIncomplete("acme/svc-locked")).isTrue();
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aDuplicateNameInARepositoryIsAnError() throws IOException {
        repository("svc-dup", subscriptionNamed("build") + subscriptionNamed("build").substring("subscriptions:\n".length()));

        ScanResult result = scanner.scan(root);

        assertThat(result.errors()).singleElement().asString().contains("name 'build' is already used at line 2");
        assertThat(result.subscriptions()).extracting(Subscription::getId).containsExactly("svc-dup/build");
    }

    @Test
    void aTakoFileAtTheRootIsAnErrorBecauseTheRootHoldsRepositories() throws IOException {
        Files.writeString(root.resolve("tako.yml"), subscriptionNamed("build"));
        healthyNeighbour();

        ScanResult result = scanner.scan(root);

        assertThat(result.errors()).singleElement().asString().startsWith("tako.yml: the scanned root itself has a tako.yml");
        assertHealthyNeighbourFound(result);
    }

    @Test
    void aMissingRootIsAnErrorNotAnException() {
        ScanResult result = scanner.scan(root.resolve("absent"));

        assertThat(result.errors()).singleElement().asString().endsWith(": does not exist");
        assertThat(result.isIncomplete("anything")).isTrue();
    }

    @Test
    void foldersDeeperThanTheLimitAreReportedInsteadOfSilentlyIgnored() throws IOException {
        // Given
        RepositoryScanner shallow = new RepositoryScanner(TakoFileParser.withDefaults(), 2);
        repository("a/b/c", subscriptionNamed("build"));

        // When
        ScanResult result = shallow.scan(root);

        // Then
        assertThat(result.errors()).singleElement().asString().isEqualTo("a/b: is nested deeper than 2 levels below the root and is not scanned");
    }
}
