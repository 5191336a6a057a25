package dev.wharf.runtime;

import dev.wharf.base.error.InternalException;

/**
 * conmon or runc could not create the container. {@link #runtimeMessage()} is the runtime's own
 * text (e.g. {@code exec: "nosuch": executable file not found in $PATH}), which Docker clients
 * match on to pick exit codes 126 and 127.
 */
public final class RuntimeStartException extends InternalException {

    private final String runtimeMessage;

    public RuntimeStartException(String runtimeMessage) {
        super(runtimeMessage);
        this.runtimeMessage = runtimeMessage;
    }

    public RuntimeStartException(String runtimeMessage, Throwable cause) {
        super(runtimeMessage, cause);
        this.runtimeMessage = runtimeMessage;
    }

    public String runtimeMessage() {
        return runtimeMessage;
    }
}
