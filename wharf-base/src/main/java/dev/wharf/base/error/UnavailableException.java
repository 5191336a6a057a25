package dev.wharf.base.error;

/** The feature is not available on this node (503). */
public non-sealed class UnavailableException extends WharfException {

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
