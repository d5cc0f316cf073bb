package dev.fanout.subscription.cel;

/** A CEL expression that does not parse or type-check; the message is the compiler's, with position. */
public final class InvalidExpressionException extends Exception {

    public InvalidExpressionException(String message) {
        super(message);
    }
}
