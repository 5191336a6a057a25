package dev.wharf.engine.image;

import dev.wharf.base.id.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small uncompressed layer tars for tests, made with commons-compress: parent directories first, then files. */
public final class LayerTars {

    private LayerTars() {
    }

    /** A tar of {@code files} (path → content), each file 0644 and each directory 0755, owned by the current user. */
    public static byte[] of(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TreeMap<String, String> sorted = new TreeMap<>(files);
            java.util.Set<String> dirs = new java.util.LinkedHashSet<>();
            for (String path : sorted.keySet()) {
                for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                    dirs.add(path.substring(0, i + 1));
                }
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> f : sorted.entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setMode(0100644);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The layer's diff ID: the digest of the uncompressed tar. */
    public static String diffId(byte[] tar) {
        return "sha256:" + java.util.HexFormat.of().formatHex(Digest.sha256().digest(tar));
    }
}
