package dev.wharf.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static final byte[] DATA = "some tar bytes ".repeat(500).getBytes(StandardCharsets.UTF_8);

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes)) {
            out.write(DATA);
        }
        return bytes.toByteArray();
    }

    private static void assertRoundTrip(byte[] compressed, Compression expected) throws IOException {
        assertThat(Compression.detect(compressed)).isEqualTo(expected);
        try (InputStream in = Compression.decompress(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(DATA);
        }
    }

    @Test
    void detectsAndDecompressesEachFormat() throws IOException {
        assertRoundTrip(DATA, Compression.NONE);
        assertRoundTrip(compress(GZIPOutputStream::new), Compression.GZIP);
        assertRoundTrip(compress(ZstdOutputStream::new), Compression.ZSTD);
        assertRoundTrip(compress(BZip2CompressorOutputStream::new), Compression.BZIP2);
        assertRoundTrip(compress(XZCompressorOutputStream::new), Compression.XZ);
    }

    @Test
    void shortAndEmptyInputsAreUncompressed() throws IOException {
        assertThat(Compression.detect(new byte[0])).isEqualTo(Compression.NONE);
        assertThat(Compression.detect(new byte[] {0x1f})).isEqualTo(Compression.NONE);
        try (InputStream in = Compression.decompress(new ByteArrayInputStream(new byte[] {1, 2}))) {
            assertThat(in.readAllBytes()).containsExactly(1, 2);
        }
    }

    @Test
    void concatenatedGzipMembersAreAllRead() throws IOException {
        byte[] one = compress(GZIPOutputStream::new);
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        try (InputStream in = Compression.decompress(new ByteArrayInputStream(two))) {
            assertThat(in.readAllBytes()).hasSize(DATA.length * 2);
        }
    }
}
