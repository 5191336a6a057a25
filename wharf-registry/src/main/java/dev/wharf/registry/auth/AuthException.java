package dev.wharf.registry.auth;

/** A registry or its token server refused the credentials, or none were given where needed. */
public final class AuthException extends Exception {

    public AuthException(String message) {
        super(message);
    }

    public AuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
