package dev.wharf.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar archives in memory for tests. */
final class TarBuilder {

    static final FileTime MTIME = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name, int mode) {
        return add(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, null, e -> e.setMode(mode));
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, e -> {});
    }

    TarBuilder file(String name, String content, int mode, Consumer<TarArchiveEntry> tweak) {
        return add(name, TarConstants.LF_NORMAL, content.getBytes(StandardCharsets.UTF_8), e -> {
            e.setMode(mode);
            tweak.accept(e);
        });
    }

    TarBuilder symlink(String name, String target) {
        return add(name, TarConstants.LF_SYMLINK, null, e -> e.setLinkName(target));
    }

    TarBuilder hardlink(String name, String target) {
        return add(name, TarConstants.LF_LINK, null, e -> e.setLinkName(target));
    }

    TarBuilder add(String name, byte flag, byte[] data, Consumer<TarArchiveEntry> tweak) {
        // the (name, flag, preserveAbsolutePath) constructor keeps names like "/abs" and "../x" intact
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
        e.setLastModifiedTime(MTIME);
        e.setUserName("");
        e.setGroupName("");
        if (data != null) {
            e.setSize(data.length);
        }
        tweak.accept(e);
        try {
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
