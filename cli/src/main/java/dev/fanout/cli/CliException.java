package dev.fanout.cli;

/** A user-facing error: its message says what was wrong, with which value, and how to fix it. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
