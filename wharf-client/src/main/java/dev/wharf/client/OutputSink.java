package dev.wharf.client;

import java.io.IOException;
import java.io.OutputStream;

/** Receives a container's output, already split into stdout and stderr. */
public interface OutputSink {

    void stdout(byte[] buf, int off, int len) throws IOException;

    void stderr(byte[] buf, int off, int len) throws IOException;

    /** Writes stdout to {@code out} and stderr to {@code err}, flushing after each piece. */
    static OutputSink of(OutputStream out, OutputStream err) {
        return new OutputSink() {
            @Override
            public void stdout(byte[] buf, int off, int len) throws IOException {
                out.write(buf, off, len);
                out.flush();
            }

            @Override
            public void stderr(byte[] buf, int off, int len) throws IOException {
                err.write(buf, off, len);
                err.flush();
            }
        };
    }
}
