package dev.wharf.base.error;

/** The object is already in the requested state (304). */
public non-sealed class NotModifiedException extends WharfException {

    public NotModifiedException(String message) {
        super(message);
    }

    public NotModifiedException(String message, Throwable cause) {
        super(message, cause);
    }
}
