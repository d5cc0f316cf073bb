package dev.fanout.subscription.takofile;

/** A problem that stops reading a file at a given line; internal to the reader, surfaced as a {@link SourceError}. */
final class TakoFileException extends Exception {

    private final int line;

    TakoFileException(int line, String reason) {
        super(reason);
        this.line = Math.max(line, 0);
    }

    int line() {
        return line;
    }

    SourceError toSourceError(String file) {
        return new SourceError(file, line, getMessage());
    }
}
