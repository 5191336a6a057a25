package dev.wharf.base.error;

/** Anything else went wrong (500). */
public non-sealed class InternalException extends WharfException {

    public InternalException(String message) {
        super(message);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
