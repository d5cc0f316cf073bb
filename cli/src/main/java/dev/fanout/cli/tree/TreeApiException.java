package dev.fanout.cli.tree;

/** The tree query API could not answer: its message names the URL, what went wrong and the fix. */
public final class TreeApiException extends RuntimeException {

    /** What kind of failure, so commands can choose an exit code or a retry. */
    public enum Kind { UNREACHABLE, NOT_FOUND, BAD_REQUEST, UNAVAILABLE, FAILED }

    private final Kind kind;

    public TreeApiException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
