package dev.wharf.runtime;

/**
 * A process launched in a running container by {@link ContainerRuntime#exec}: the caller connects
 * the attach socket (named by the exec id), then {@link #start()}s it and waits for its exit.
 */
public interface ExecHandle extends AutoCloseable {

    /** Lets the process run; returns its pid. */
    int start();

    /** Blocks until the process exits; its exit code (128+n for a signal), or -1 if the monitor vanished. */
    int awaitExit();

    @Override
    void close();
}
