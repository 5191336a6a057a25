package dev.wharf.compose.run;

/** A Compose operation that failed on the daemon's side: one readable line for the CLI. */
public class ComposeException extends RuntimeException {

    public ComposeException(String message) {
        super(message, null, false, false);
    }

    public ComposeException(String message, Throwable cause) {
        super(message, cause);
    }
}
