package dev.fanout.bench;

/** A scenario could not be measured; the message says which, in which run, and why. */
public final class BenchException extends RuntimeException {

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
