package dev.wharf.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.wharf.base.error.InvalidArgumentException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** The compressions a layer or an upload may use, recognised by their magic bytes. */
public enum Compression {
    NONE(new byte[0]),
    GZIP(new byte[] {0x1f, (byte) 0x8b, 0x08}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    BZIP2(new byte[] {'B', 'Z', 'h'}),
    XZ(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00});

    /** The longest magic number; {@link #detect} needs at most this many bytes. */
    public static final int MAGIC_LENGTH = 6;

    private final byte[] magic;

    Compression(byte[] magic) {
        this.magic = magic;
    }

    /** The compression whose magic starts {@code firstBytes}, or {@link #NONE}. */
    public static Compression detect(byte[] firstBytes) {
        for (Compression c : values()) {
            if (c != NONE && firstBytes.length >= c.magic.length
                    && Arrays.equals(firstBytes, 0, c.magic.length, c.magic, 0, c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /**
     * Sniffs the compression of {@code in} and returns a stream of the decompressed bytes; an
     * uncompressed stream passes through (buffered). Concatenated gzip members, zstd frames and
     * bzip2 streams are all read. Closing the result closes {@code in}.
     */
    public static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 65536);
        buffered.mark(MAGIC_LENGTH);
        byte[] head = buffered.readNBytes(MAGIC_LENGTH);
        buffered.reset();
        return switch (detect(head)) {
            case NONE -> buffered;
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(buffered)
                    .setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdInputStream(buffered);
            case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
            case XZ -> xz(buffered);
        };
    }

    private static InputStream xz(InputStream in) throws IOException {
        try {
            return new XZCompressorInputStream(in, true);
        } catch (NoClassDefFoundError e) {
            throw new InvalidArgumentException("xz-compressed archives are not supported: org.tukaani:xz is missing", e);
        }
    }
}
