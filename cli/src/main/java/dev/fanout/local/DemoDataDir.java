package dev.fanout.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's data directory, emptied at every start so that each run begins from nothing. Only a
 * directory the demo made itself (it holds a marker file) is ever emptied: given any other non-empty
 * directory, the demo refuses rather than delete someone's files.
 */
public final class DemoDataDir {

    /** Marks a directory as the demo's own. */
    static final String MARKER = ".fanout-demo";
    /** The lock file of {@link DevStack}, held while a stack uses the directory. */
    private static final String LOCK = "lock";

    private DemoDataDir() {
    }

    /** Creates {@code dir}, or empties it when it is a previous demo's; returns its absolute path. */
    public static Path prepare(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs) && !Files.isDirectory(abs)) {
                throw new IllegalStateException("--data-dir " + abs + " is a file; give a directory for the demo's "
                        + "data (it is emptied at every start), such as .fanout/demo");
            }
            if (Files.isDirectory(abs) && !isEmpty(abs)) {
                if (!Files.exists(abs.resolve(MARKER))) {
                    throw new IllegalStateException("--data-dir " + abs + " is not empty and was not made by "
                            + "'fanout demo'; the demo empties its directory at every start, so give a new or empty "
                            + "one, such as .fanout/demo");
                }
                requireUnused(abs);
                clear(abs);
            }
            Files.createDirectories(abs);
            Files.writeString(abs.resolve(MARKER), "Data of 'fanout demo'; emptied at its next start.\n");
            return abs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo's data directory " + abs + ": " + e.getMessage()
                    + " (give another with --data-dir)", e);
        }
    }

    /** A demo running on the directory holds its lock; emptying it under that demo would break it. */
    private static void requireUnused(Path dir) throws IOException {
        Path lockFile = dir.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw inUse(dir);
        }
    }

    private static IllegalStateException inUse(Path dir) {
        return new IllegalStateException("--data-dir " + dir + " is in use by another 'fanout demo'; stop it "
                + "(Ctrl-C), or give this one its own --data-dir");
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
