package dev.wharf.client;

/**
 * The daemon answered with a 4xx or 5xx status. {@link #getMessage()} is the {@code message} of
 * the JSON error body (or the body text when it is not JSON), as the daemon wrote it.
 */
public final class ApiException extends WharfClientException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
