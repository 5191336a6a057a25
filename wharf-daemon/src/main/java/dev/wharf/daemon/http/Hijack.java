package dev.wharf.daemon.http;

import java.io.InputStream;
import java.io.OutputStream;

/** A connection taken over after a 101 (or bare 200) answer: raw bytes both ways. */
public interface Hijack extends AutoCloseable {
    /** Bytes from the client; -1 at the client's half-close (CloseWrite) or full close. */
    InputStream in();

    /** Bytes to the client, flushed on every write; blocks while the client is not reading. */
    OutputStream out();

    /** Flushes what was written and closes the connection. */
    @Override
    void close();
}
