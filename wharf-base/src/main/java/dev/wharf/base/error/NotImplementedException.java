package dev.wharf.base.error;

/** The operation is not implemented (501). */
public non-sealed class NotImplementedException extends WharfException {

    public NotImplementedException(String message) {
        super(message);
    }

    public NotImplementedException(String message, Throwable cause) {
        super(message, cause);
    }
}
