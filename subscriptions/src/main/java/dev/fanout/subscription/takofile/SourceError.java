package dev.fanout.subscription.takofile;

import java.util.Objects;

/**
 * A problem found while reading repositories, printed as {@code file:line: reason} so that editors and
 * terminals can jump to it.
 *
 * @param file   the file or directory, as the user should see it (relative to the scanned root)
 * @param line   1-based; 0 when the problem concerns the whole file or a directory
 * @param reason what is wrong and how to fix it
 */
public record SourceError(String file, int line, String reason) {

    public SourceError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative, was " + line);
        }
    }

    public static SourceError ofFile(String file, String reason) {
        return new SourceError(file, 0, reason);
    }

    @Override
    public String toString() {
        return line == 0 ? file + ": " + reason : file + ":" + line + ": " + reason;
    }
}
