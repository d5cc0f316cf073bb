package dev.fanout.subscription.takofile;

/**
 * What a tako.yml may cost to read. Repositories are written by many people and scanned by
 * automation, so a hostile or broken file must fail on its own without exhausting the scanner.
 *
 * @param maxFileBytes    files larger than this are refused before they are read (default 1 MiB)
 * @param maxNestingDepth mappings and lists nested deeper than this are refused (default 32)
 */
public record TakoFileLimits(long maxFileBytes, int maxNestingDepth) {

    public static final long DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 32;
    public static final TakoFileLimits DEFAULTS =
            new TakoFileLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_NESTING_DEPTH);

    public TakoFileLimits {
        // The YAML reader counts code points in an int, and one code point takes at least one byte.
        if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxFileBytes must be between 1 and " + Integer.MAX_VALUE + ", was " + maxFileBytes);
        }
        if (maxNestingDepth < 4) {
            throw new IllegalArgumentException("maxNestingDepth must be at least 4 (a subscription's inputs sit at depth 4), was " + maxNestingDepth);
        }
    }

    public TakoFileLimits withMaxFileBytes(long bytes) {
        return new TakoFileLimits(bytes, maxNestingDepth);
    }
}
