package dev.wharf.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.archive.ExtractOptions;
import dev.wharf.archive.Extractor;
import dev.wharf.base.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Jazzer: a tar of any entries (names and link targets made of {@code ..}, absolute paths, whiteout
 * names and symlinks that point anywhere, in any order) either extracts or is refused as an
 * {@link IOException} or {@link InvalidArgumentException}; never another exception, and nothing is
 * ever written outside the target directory, whether as an image layer or as a {@code docker cp}
 * upload. The raw bytes are also fed as they come, for the header parser.
 */
class ExtractorFuzzTest {

    private static final List<String> SEGMENTS = List.of("a", "b", "etc", "..", ".", "", "/", "outside",
            ".wh.a", ".wh..wh..opq", ".wh..wh.plnk", "dir", "lnk", "c d", "\u00e9");
    private static final byte[] TYPES = {TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK,
            TarConstants.LF_LINK, TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK};

    @FuzzTest(maxDuration = "20s")
    void extract(FuzzedDataProvider data) throws IOException {
        boolean layer = data.consumeBoolean();
        boolean raw = data.consumeBoolean();
        byte[] tar = raw ? data.consumeRemainingAsBytes() : tar(data);
        Path work = Files.createTempDirectory("wharf-fuzz-tar-");
        Path root = Files.createDirectory(work.resolve("root"));
        try {
            try {
                if (layer) {
                    Extractor.extractLayer(new ByteArrayInputStream(tar), root);
                } else {
                    Extractor.extractPlain(new ByteArrayInputStream(tar), root, ExtractOptions.DEFAULTS);
                }
            } catch (IOException | InvalidArgumentException refused) {
                // a clear refusal is the contract
            }
            try (Stream<Path> beside = Files.list(work)) {
                assertThat(beside.map(p -> p.getFileName().toString())).as("written beside the target")
                        .containsExactly("root");
            }
            Path real = root.toRealPath();
            try (Stream<Path> inside = Files.walk(root)) {
                inside.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
                    try {
                        assertThat(p.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(real)).as("%s", p).isTrue();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static byte[] tar(FuzzedDataProvider data) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(buf)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            int n = data.consumeInt(0, 12);
            for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
                byte type = TYPES[data.consumeInt(0, TYPES.length - 1)];
                TarArchiveEntry e = new TarArchiveEntry(path(data), type);
                if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
                    e.setLinkName(path(data));
                }
                e.setMode(data.consumeInt(0, 07777));
                // a name ending in '/' makes a directory of any entry
                byte[] body = type == TarConstants.LF_NORMAL && !e.isDirectory()
                        ? data.consumeString(64).getBytes(StandardCharsets.UTF_8) : new byte[0];
                e.setSize(body.length);
                out.putArchiveEntry(e);
                out.write(body);
                out.closeArchiveEntry();
            }
        } catch (IllegalArgumentException badEntry) {
            // commons-compress refuses some names itself; what was written so far is the tar
        }
        return buf.toByteArray();
    }

    private static String path(FuzzedDataProvider data) {
        StringBuilder sb = new StringBuilder();
        int parts = data.consumeInt(1, 5);
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(SEGMENTS.get(data.consumeInt(0, SEGMENTS.size() - 1)));
        }
        return sb.toString();
    }
}
