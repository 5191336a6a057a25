package dev.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.client.fake.FakeDaemon;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class StreamDemuxTest {

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Hands out at most one byte per read, to prove frames survive any split. */
    private static InputStream trickle(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void copy_splitsStdoutAndStderr() throws Exception {
        byte[] data = concat(FakeDaemon.frame(1, "out\n"), FakeDaemon.frame(2, "err\n"), FakeDaemon.frame(1, "more"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StreamDemux.copy(trickle(data), false, OutputSink.of(out, err));
        assertThat(out.toString()).isEqualTo("out\nmore");
        assertThat(err.toString()).isEqualTo("err\n");
    }

    @Test
    void copy_passesTtyStreamRaw() throws Exception {
        byte[] data = FakeDaemon.frame(1, "x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamDemux.copy(new ByteArrayInputStream(data), true, OutputSink.of(out, OutputStream0.NULL));
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void copy_turnsSystemErrorFrameIntoException() {
        byte[] data = concat(FakeDaemon.frame(1, "a"), FakeDaemon.frame(3, "Error grabbing logs: boom\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> StreamDemux.copy(new ByteArrayInputStream(data), false,
                OutputSink.of(out, OutputStream0.NULL)))
                .isInstanceOf(WharfClientException.class).hasMessage("Error grabbing logs: boom");
        assertThat(out.toString()).isEqualTo("a");
    }

    @Test
    void copy_rejectsTruncatedHeader() {
        assertThatThrownBy(() -> StreamDemux.copy(new ByteArrayInputStream(new byte[] {1, 0, 0}), false,
                OutputSink.of(OutputStream0.NULL, OutputStream0.NULL))).isInstanceOf(IOException.class);
    }

    @Test
    void copy_emptyStreamIsFine() throws Exception {
        StreamDemux.copy(new ByteArrayInputStream(new byte[0]), false,
                OutputSink.of(OutputStream0.NULL, OutputStream0.NULL));
    }

    private static final class OutputStream0 {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
