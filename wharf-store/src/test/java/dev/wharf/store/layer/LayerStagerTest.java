package dev.wharf.store.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStagerTest {

    @TempDir
    Path dir;

    private final ChunkPool pool = new ChunkPool(4);

    @Test
    void aLayerSpanningManyChunks_isUnpackedWithTheDiffIdOfItsTar() throws Exception {
        byte[] big = new byte[3 * ChunkPool.CHUNK + 12345];
        new Random(7).nextBytes(big);
        byte[] tar = tar("data/big", big);

        LayerStager st = new LayerStager(dir.resolve("tmp-a"), null, pool);
        st.writeAll(new ByteArrayInputStream(tar));
        LayerStore.Staged s = st.finish();

        assertThat(s.diffId()).isEqualTo("sha256:" + sha256(tar));
        assertThat(Files.readAllBytes(s.dir().resolve("diff/data/big"))).isEqualTo(big);
        assertThat(st.consumed()).isEqualTo(tar.length);
    }

    @Test
    void aGzippedLayer_hasTheDiffIdOfTheUncompressedTar() throws Exception {
        byte[] tar = tar("etc/hostname", "box\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }

        LayerStager st = new LayerStager(dir.resolve("tmp-b"), null, pool);
        st.writeAll(new ByteArrayInputStream(gz.toByteArray()));
        LayerStore.Staged s = st.finish();

        assertThat(s.diffId()).isEqualTo("sha256:" + sha256(tar));
        assertThat(Files.readString(s.dir().resolve("diff/etc/hostname"))).isEqualTo("box\n");
    }

    @Test
    void aBrokenLayer_reportsTheUnpackersFailure_andAbortRemovesWhatWasWritten() throws Exception {
        byte[] tar = tar("data/f", new byte[2 * ChunkPool.CHUNK]);
        byte[] cut = java.util.Arrays.copyOf(tar, ChunkPool.CHUNK + 1000); // the file's content ends early
        Path tmp = dir.resolve("tmp-c");
        LayerStager st = new LayerStager(tmp, null, pool);

        assertThatThrownBy(() -> {
            st.writeAll(new ByteArrayInputStream(cut));
            st.finish();
        }).isInstanceOf(IOException.class);
        st.abort();

        assertThat(tmp).doesNotExist();
    }

    @Test
    void abortWhileTheInputIsStillComing_stopsTheUnpackerAndRemovesItsFiles() throws Exception {
        byte[] tar = tar("data/f", new byte[3 * ChunkPool.CHUNK]);
        Path tmp = dir.resolve("tmp-d");
        LayerStager st = new LayerStager(tmp, null, pool);
        byte[] chunk = pool.take();
        System.arraycopy(tar, 0, chunk, 0, ChunkPool.CHUNK);
        st.write(chunk, ChunkPool.CHUNK);

        assertThat(st.abort()).isNull();
        assertThat(tmp).doesNotExist();
        assertThat(st.done()).isTrue();
    }

    private static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(0644);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
