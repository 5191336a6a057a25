package dev.wharf.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ParallelGzipTest {

    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static byte[] gzip(byte[] data, int writeSize) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParallelGzip gz = new ParallelGzip(bytes, POOL, 1, 2)) {
            for (int off = 0; off < data.length; off += writeSize) {
                gz.write(data, off, Math.min(writeSize, data.length - off));
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] text(int n) {
        byte[] line = "usr/lib/x86_64-linux-gnu/libc.so.6 ELF header and some text\n".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = line[(i * 7 + i / 997) % line.length];
        }
        return out;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void emptyInputIsAValidGzip() throws IOException {
        byte[] gz = gzip(new byte[0], 1);
        assertThat(gunzip(gz)).isEmpty();
        assertThat(Compression.detect(gz)).isEqualTo(Compression.GZIP);
    }

    @Test
    void compressibleDataRoundTripsAndShrinks() throws IOException {
        byte[] data = text(3 * ParallelGzip.BLOCK + 12345);
        byte[] gz = gzip(data, 8192);
        assertThat(gunzip(gz)).isEqualTo(data);
        assertThat(gz.length).isLessThan(data.length / 4);
    }

    @Test
    void incompressibleDataIsStoredWithLittleOverhead() throws IOException {
        byte[] data = random(2 * ParallelGzip.BLOCK + 77, 1);
        byte[] gz = gzip(data, 100_000);
        assertThat(gunzip(gz)).isEqualTo(data);
        assertThat(gz.length).isLessThan(data.length + data.length / 1000 + 64);
    }

    @Test
    void mixedBlocksExactMultiplesAndOneByteWritesRoundTrip() throws IOException {
        byte[] data = new byte[4 * ParallelGzip.BLOCK];
        System.arraycopy(random(ParallelGzip.BLOCK, 2), 0, data, 0, ParallelGzip.BLOCK);
        System.arraycopy(text(ParallelGzip.BLOCK), 0, data, ParallelGzip.BLOCK, ParallelGzip.BLOCK);
        System.arraycopy(random(ParallelGzip.BLOCK, 3), 0, data, 2 * ParallelGzip.BLOCK, ParallelGzip.BLOCK);
        System.arraycopy(text(ParallelGzip.BLOCK), 0, data, 3 * ParallelGzip.BLOCK, ParallelGzip.BLOCK);
        assertThat(gunzip(gzip(data, ParallelGzip.BLOCK))).isEqualTo(data);
        byte[] small = text(70_000);
        assertThat(gunzip(gzip(small, 1))).isEqualTo(small);
    }

    @Test
    void theCompressiblePartOfAMixedBlockIsStillDeflated() throws IOException {
        int half = ParallelGzip.BLOCK / 2;
        byte[] data = new byte[ParallelGzip.BLOCK];
        System.arraycopy(random(half, 5), 0, data, 0, half);
        System.arraycopy(text(half), 0, data, half, half);
        byte[] gz = gzip(data, 65536);
        assertThat(gunzip(gz)).isEqualTo(data);
        assertThat(gz.length).isLessThan(half + half / 4);
    }

    @Test
    void sameInputGivesTheSameBytes() throws IOException {
        byte[] data = new byte[3 * ParallelGzip.BLOCK + 5];
        System.arraycopy(text(2 * ParallelGzip.BLOCK), 0, data, 0, 2 * ParallelGzip.BLOCK);
        System.arraycopy(random(ParallelGzip.BLOCK + 5, 4), 0, data, 2 * ParallelGzip.BLOCK, ParallelGzip.BLOCK + 5);
        assertThat(gzip(data, 4096)).isEqualTo(gzip(data, 1 << 20));
    }

    @Test
    void transferFromReadsAStreamToItsEnd() throws IOException {
        byte[] data = text(2 * ParallelGzip.BLOCK + 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] seen = new long[1];
        try (ParallelGzip gz = new ParallelGzip(bytes, POOL, 1, 2)) {
            assertThat(gz.transferFrom(new ByteArrayInputStream(data), n -> seen[0] = n)).isEqualTo(data.length);
        }
        assertThat(seen[0]).isEqualTo(data.length);
        assertThat(gunzip(bytes.toByteArray())).isEqualTo(data);
        assertThat(bytes.toByteArray()).isEqualTo(gzip(data, 1000));
    }

    @Test
    void readsBackThroughTheLayerDecompressor() throws IOException {
        byte[] data = text(ParallelGzip.BLOCK + 1);
        try (var in = Compression.decompress(new ByteArrayInputStream(gzip(data, 65536)))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }
}
