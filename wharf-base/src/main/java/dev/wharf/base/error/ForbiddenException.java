package dev.wharf.base.error;

/** The operation is refused while the object is in use (403). */
public non-sealed class ForbiddenException extends WharfException {

    public ForbiddenException(String message) {
        super(message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
