package dev.wharf.base.error;

/** A named object does not exist (404). */
public non-sealed class NotFoundException extends WharfException {

    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
