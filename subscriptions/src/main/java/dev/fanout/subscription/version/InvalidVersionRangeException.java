package dev.fanout.subscription.version;

/** A schema_version range that is not npm range syntax; the message says what is wrong and how to write it. */
public final class InvalidVersionRangeException extends Exception {

    public InvalidVersionRangeException(String message) {
        super(message);
    }
}
