package dev.fanout.subscription.discovery;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.takofile.ParsedTakoFile;
import dev.fanout.subscription.takofile.SourceError;
import dev.fanout.subscription.takofile.TakoFileParser;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds repositories under a root directory and reads their subscriptions and limits.
 *
 * <p>A repository is a folder with a {@code tako.yml}; its name is its path relative to the root
 * ({@code svc-a}, {@code acme/svc-a}). Folders without one are searched deeper (owner folders);
 * a repository's own subfolders and hidden folders ({@code .git}) are not.
 *
 * <p>Symbolic links are never followed: that rules out cycles and escapes from the root without
 * bookkeeping, and a link is reported so that nobody wonders why a repository was not found. Every
 * problem (unreadable folder, broken file) becomes an error for that path and the scan goes on.
 */
public final class RepositoryScanner {

    public static final int DEFAULT_MAX_DEPTH = 8;

    private static final Logger LOG = LoggerFactory.getLogger(RepositoryScanner.class);

    private final TakoFileParser parser;
    private final int maxDepth;

    public RepositoryScanner(TakoFileParser parser, int maxDepth) {
        this.parser = Objects.requireNonNull(parser, "parser");
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    public static RepositoryScanner withDefaults() {
        return new RepositoryScanner(TakoFileParser.withDefaults(), DEFAULT_MAX_DEPTH);
    }

    public ScanResult scan(Path root) {
        Objects.requireNonNull(root, "root");
        Scan scan = new Scan(root);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            scan.fail("", root.toString(), Files.exists(root, LinkOption.NOFOLLOW_LINKS)
                    ? "is not a directory (a symbolic link to one is not followed either)" : "does not exist");
            return scan.result();
        }
        try {
            // No FOLLOW_LINKS: links show up as files in visitFile, never as directories to enter.
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), maxDepth, scan);
        } catch (IOException e) {
            scan.fail("", root.toString(), "cannot scan: " + e.getMessage());
        }
        return scan.result();
    }

    /** One walk; the visitor never throws, so one bad path never ends the walk. */
    private final class Scan extends SimpleFileVisitor<Path> {

        private final Path root;
        private final List<Subscription> subscriptions = new ArrayList<>();
        private final List<SourceError> errors = new ArrayList<>();
        private final SortedSet<String> repositories = new TreeSet<>();
        private final SortedSet<String> incomplete = new TreeSet<>();
        private final SortedMap<String, RepoLimits> limits = new TreeMap<>();

        Scan(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            String relative = relative(dir);
            if (!relative.isEmpty() && dir.getFileName().toString().startsWith(".")) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            Path takoFile = dir.resolve(TakoFileParser.FILE_NAME);
            try {
                Files.readAttributes(takoFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return FileVisitResult.CONTINUE;
            } catch (IOException e) {
                fail(relative, display(dir), "cannot read folder: " + describe(e));
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (relative.isEmpty()) {
                fail("", display(takoFile), "the scanned root itself has a tako.yml; point the scan at the folder "
                        + "that contains the repositories");
                return FileVisitResult.CONTINUE;
            }
            readRepository(relative, takoFile);
            return FileVisitResult.SKIP_SUBTREE;
        }

        private void readRepository(String repo, Path takoFile) {
            repositories.add(repo);
            ParsedTakoFile parsed = parser.parse(takoFile, repo, display(takoFile));
            subscriptions.addAll(parsed.subscriptions());
            parsed.limits().ifPresent(declared -> limits.put(repo, declared));
            errors.addAll(parsed.errors());
            if (parsed.hasErrors()) {
                incomplete.add(repo);
            }
            LOG.debug("repository {}: {} subscriptions, {} errors", repo, parsed.subscriptions().size(), parsed.errors().size());
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isSymbolicLink()) {
                fail(relative(file), display(file), "is a symbolic link and is not followed; repositories must be "
                        + "real folders under the root");
            } else if (attributes.isDirectory()) {
                // walkFileTree reports folders at maxDepth as files.
                fail(relative(file), display(file), "is nested deeper than " + maxDepth
                        + " levels below the root and is not scanned");
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            String reason = e instanceof FileSystemLoopException ? "is a symbolic link cycle" : "cannot read: " + describe(e);
            fail(relative(file), display(file), reason);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                fail(relative(dir), display(dir), "could not be listed completely: " + describe(e));
            }
            return FileVisitResult.CONTINUE;
        }

        void fail(String path, String display, String reason) {
            errors.add(SourceError.ofFile(display, reason));
            incomplete.add(path);
        }

        ScanResult result() {
            List<Subscription> sorted = new ArrayList<>(subscriptions);
            sorted.sort(Comparator.comparing(Subscription::getId));
            return new ScanResult(sorted, errors, repositories, incomplete, limits);
        }

        private String relative(Path path) {
            Path relative = root.relativize(path);
            StringBuilder name = new StringBuilder();
            for (Path segment : relative) {
                if (!segment.toString().isEmpty()) {
                    name.append(name.length() == 0 ? "" : "/").append(segment);
                }
            }
            return name.toString();
        }

        private String display(Path path) {
            String relative = relative(path);
            return relative.isEmpty() ? root.toString() : relative;
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

}
