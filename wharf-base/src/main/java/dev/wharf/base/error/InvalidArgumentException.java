package dev.wharf.base.error;

/** The request is malformed or names something impossible (400). */
public non-sealed class InvalidArgumentException extends WharfException {

    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
