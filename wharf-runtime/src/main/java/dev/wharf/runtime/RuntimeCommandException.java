package dev.wharf.runtime;

import dev.wharf.base.error.InternalException;

/** A runc command other than create failed; the message is runc's own ({@code msg=} of its log). */
public final class RuntimeCommandException extends InternalException {

    private final int exitCode;

    public RuntimeCommandException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** runc says the container is not running (kill of an exited container). */
    public boolean notRunning() {
        String m = getMessage();
        return m.contains("not running") || m.contains("process already finished");
    }
}
