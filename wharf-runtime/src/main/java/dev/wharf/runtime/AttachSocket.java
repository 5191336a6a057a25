package dev.wharf.runtime;

import java.io.IOException;

/** A client connection to conmon's attach socket: container output in, stdin out. */
public interface AttachSocket extends AutoCloseable {

    /** A chunk of output as the process wrote it; stream 1 is stdout (and the TTY), 2 stderr. */
    record Frame(int stream, byte[] data) {}

    /** Blocks for the next packet; null at EOF (container exited and conmon closed, or closed here). */
    Frame read() throws IOException;

    void writeStdin(byte[] data, int off, int len) throws IOException;

    /** Half-closes: conmon then closes the container's stdin unless it runs with leave-stdin-open. */
    void closeStdin() throws IOException;

    @Override
    void close();
}
