package dev.wharf.engine.build;

import dev.wharf.builder.dispatch.BuildOutput;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an attach stream's 8-byte frame headers and sends each frame's payload as one build message;
 * a stderr frame's in red ({@code ESC[91m ... ESC[0m}), as the classic builder's stderr writer sends it.
 */
final class FrameDemux extends OutputStream {

    private final BuildOutput out;
    private final byte[] header = new byte[8];
    private int headerFill;
    private int remaining;
    private boolean stderr;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    FrameDemux(BuildOutput out) {
        this.out = out;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (remaining == 0) {
                header[headerFill++] = b[i++];
                if (headerFill == 8) {
                    headerFill = 0;
                    stderr = header[0] == 2;
                    remaining = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                            | (header[7] & 0xff);
                }
                continue;
            }
            int n = Math.min(remaining, end - i);
            payload.write(b, i, n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
                String text = payload.toString(StandardCharsets.UTF_8);
                out.stream(stderr ? "\u001b[91m" + text + "\u001b[0m" : text);
                payload.reset();
            }
        }
    }
}
