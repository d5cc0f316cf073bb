package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscriptions commands refuse bad input before they connect: the bootstrap server below has
 * nothing listening, so a test that got as far as the cluster would fail with a different message.
 */
class SubscriptionsBadInputTest {

    private static final String NOWHERE = "127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void syncNamesAMissingReposFolderAndTheFix() {
        Path missing = dir.resolve("no-such-repos");

        CliRun run = CliRun.of("subscriptions", "sync", "--repos", missing.toString(), "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--repos " + missing + ": no such directory")
                .contains("give the folder that holds the repositories");
    }

    @Test
    void syncRefusesAFileWhereAFolderIsExpected() throws Exception {
        Path file = Files.writeString(dir.resolve("tako.yml"), "subscriptions: []\n");

        CliRun run = CliRun.of("subscriptions", "sync", "--repos", file.toString(), "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is a file, not a directory").contains("subscriptions put --file");
    }

    @Test
    void syncWithoutReposNamesTheMissingOption() {
        CliRun run = CliRun.of("subscriptions", "sync");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--repos=DIR'");
    }

    @Test
    void syncRefusesAnUnknownPruneScopeAndListsTheValidOnes() {
        CliRun run = CliRun.of("subscriptions", "sync", "--repos", dir.toString(), "--prune", "everything");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'everything' is not a prune scope").contains("scanned-repos", "whole-root");
    }

    @Test
    void syncRefusesAnUnknownFlagWithUsage() {
        CliRun run = CliRun.of("subscriptions", "sync", "--repos", dir.toString(), "--dryrun");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--dryrun'").contains("--dry-run");
    }

    @Test
    void syncRefusesADependencyCycleAcrossRepositoriesAndNamesItsPath() throws Exception {
        // Given svc-a/build waits for docs-site/publish, which waits for svc-a/build
        writeTakoFile(dir.resolve("svc-a"), subscription("build", "docs-site/publish"));
        writeTakoFile(dir.resolve("docs-site"), subscription("publish", "svc-a/build"));

        // When
        CliRun run = CliRun.of("subscriptions", "sync", "--repos", dir.toString(), "--bootstrap-server", NOWHERE);

        // Then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("""
                error: dependency cycle: docs-site/publish -> svc-a/build -> docs-site/publish; remove one of these depends_on entries
                error: 1 dependency cycle(s) among the subscriptions under %s ('a -> b': a depends on b); nothing was \
                published. Fix the tako.yml files and run the command again.
                """.formatted(dir));
        assertThat(run.out()).isEmpty();
    }

    @Test
    void putRefusesADependencyCycleWithinItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("tako.yml"), "subscriptions:\n"
                + entry("build", "svc-a/test") + entry("test", "svc-a/build"));

        CliRun run = CliRun.of("subscriptions", "put", "--file", file.toString(), "--repo", "svc-a",
                "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: dependency cycle: svc-a/build -> svc-a/test -> svc-a/build; "
                + "remove one of these depends_on entries\n").contains("among the subscriptions of " + file);
    }

    @Test
    void deleteRefusesAnIdThatIsNotRepoSlashName() {
        CliRun run = CliRun.of("subscriptions", "delete", "on-core-release", "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("'on-core-release' is not a subscription id")
                .contains("REPO/NAME, such as svc-a/on-core-release");
    }

    @Test
    void deleteWithoutIdsNamesTheMissingParameter() {
        CliRun run = CliRun.of("subscriptions", "delete");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter").contains("ID");
    }

    @Test
    void putNamesAMissingFile() {
        Path missing = dir.resolve("tako.yml");

        CliRun run = CliRun.of("subscriptions", "put", "--file", missing.toString(), "--repo", "svc-a",
                "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--file " + missing + ": no such file");
    }

    @Test
    void putRefusesARepositoryNameThatIsNotOne() throws Exception {
        Path file = Files.writeString(dir.resolve("tako.yml"), "subscriptions: []\n");

        CliRun run = CliRun.of("subscriptions", "put", "--file", file.toString(), "--repo", "svc a",
                "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--repo 'svc a' is not a repository name");
    }

    @Test
    void listRefusesARepositoryNameThatIsNotOne() {
        CliRun run = CliRun.of("subscriptions", "list", "--repo", "/svc-a", "--bootstrap-server", NOWHERE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--repo '/svc-a' is not a repository name");
    }

    private static String subscription(String name, String dependsOn) {
        return "subscriptions:\n" + entry(name, dependsOn);
    }

    private static String entry(String name, String dependsOn) {
        return "  - name: " + name + "\n"
                + "    artifact: lib-core:release\n"
                + "    events: [published]\n"
                + "    schema_version: '*'\n"
                + "    workflow: " + name + "\n"
                + "    depends_on: { subscriptions: [" + dependsOn + "] }\n";
    }

    private static void writeTakoFile(Path repository, String content) throws Exception {
        Files.createDirectories(repository);
        Files.writeString(repository.resolve("tako.yml"), content);
    }
}
