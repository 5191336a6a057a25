package dev.wharf.registry;

/**
 * A registry call failed. {@link #kind()} says how, so that callers can word it as Docker does;
 * the message is the registry's own ({@code manifest unknown: manifest unknown}) or Go-like
 * transport wording ({@code Get "http://…/v2/": dial tcp …: connect: connection refused}).
 */
public final class RegistryException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        MANIFEST_UNKNOWN, NAME_UNKNOWN, BLOB_UNKNOWN, DENIED, UNAUTHORIZED, TLS, UNREACHABLE, DIGEST_MISMATCH,
        UNSUPPORTED, PROTOCOL
    }

    private final Kind kind;
    private final int status;

    public RegistryException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public RegistryException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the registry answered, or -1 when there was no answer. */
    public int status() {
        return status;
    }
}
