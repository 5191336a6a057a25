package dev.wharf.client;

/** Any failure of an SDK call: transport trouble, or (as {@link ApiException}) an error answer. */
public class WharfClientException extends RuntimeException {

    public WharfClientException(String message) {
        super(message);
    }

    public WharfClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
