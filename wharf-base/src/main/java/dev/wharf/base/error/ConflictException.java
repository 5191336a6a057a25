package dev.wharf.base.error;

/** The request clashes with the current state (409). */
public non-sealed class ConflictException extends WharfException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
