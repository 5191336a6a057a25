package dev.wharf.base.error;

/** A registry refused the credentials, or wants some (401). */
public non-sealed class UnauthorizedException extends WharfException {

    public UnauthorizedException(String message) {
        super(message);
    }

    public UnauthorizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
