package dev.wharf.builder.dispatch;

/**
 * A build step failed: Docker's message ({@code The command '/bin/sh -c exit 3' returned a
 * non-zero code: 3}) and, for a command, its exit code (0 otherwise).
 */
public final class StepFailedException extends RuntimeException {

    private final int code;

    public StepFailedException(String message, int code) {
        super(message);
        this.code = code;
    }

    public StepFailedException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
