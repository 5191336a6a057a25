package dev.wharf.runtime;

import java.io.IOException;

/**
 * A process launched in a running container by {@link ContainerRuntime#exec}: the caller connects
 * to its output with {@link #attach()} (when it wants it), then {@link #start()}s it and waits for
 * its exit.
 */
public interface ExecHandle extends AutoCloseable {

    /** Connects to the monitor's attach socket of this exec (named by the exec id); before {@link #start()}. */
    AttachSocket attach() throws IOException;

    /** Lets the process run; returns its pid. */
    int start();

    /** Blocks until the process exits; its exit code (128+n for a signal), or -1 if the monitor vanished. */
    int awaitExit();

    @Override
    void close();
}
