package dev.wharf.engine.container;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps up to {@code max-file} log files for a container whose log has a {@code max-size}.
 *
 * <p>conmon ({@code --log-size-max}) caps {@code container.log}: when the next record would pass
 * the size it opens {@code container.log.tmp} and renames it over {@code container.log}, which on its
 * own loses the old content (conmon keeps one file). The engine keeps a second hard link,
 * {@code container.log.cur}, to the file conmon writes; after conmon replaces the file, that link
 * still holds the old content, and {@link #check} moves it to {@code container.log.1} (shifting
 * {@code .1 → .2 …}, dropping what passes max-file) and links the new file. So files stay within
 * max-size each, at most max-file are kept, and while wharfd is down conmon still caps the log
 * (only rotations made while it is down lose their older file). Readers take
 * {@code .N … .1}, then {@code .cur} when it is not the live file, then {@code container.log}.
 */
final class LogRotation {

    private LogRotation() {
    }

    static Path cur(Path log) {
        return log.resolveSibling(log.getFileName() + ".cur");
    }

    static Path numbered(Path log, int i) {
        return log.resolveSibling(log.getFileName() + "." + i);
    }

    /** Before conmon starts: moves a non-empty log of an earlier run aside, so each file stays in size. */
    static synchronized void beforeStart(Path log, int maxFile) throws IOException {
        check(log, maxFile);
        Files.deleteIfExists(cur(log));
        if (Files.exists(log) && Files.size(log) > 0) {
            shift(log, maxFile);
            if (maxFile > 1) {
                Files.move(log, numbered(log, 1), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(log);
            }
        }
    }

    /** Files a rotation conmon made since the last call, and links the live file. */
    static synchronized void check(Path log, int maxFile) throws IOException {
        Path cur = cur(log);
        if (!Files.exists(log)) {
            return;
        }
        if (Files.exists(cur)) {
            if (Files.isSameFile(cur, log)) {
                return;
            }
            shift(log, maxFile);
            if (maxFile > 1) {
                Files.move(cur, numbered(log, 1), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(cur);
            }
        }
        try {
            Files.createLink(cur, log);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            // raced with conmon; the next check sees it
        }
    }

    private static void shift(Path log, int maxFile) throws IOException {
        for (int i = maxFile - 1; i >= 1; i--) {
            Path p = numbered(log, i);
            if (!Files.exists(p)) {
                continue;
            }
            if (i + 1 > maxFile - 1) {
                Files.delete(p);
            } else {
                Files.move(p, numbered(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // files past max-file from an earlier, larger setting
        for (int i = maxFile; Files.exists(numbered(log, i)); i++) {
            Files.delete(numbered(log, i));
        }
    }

    /** The files that hold the log, oldest first, ending with the live file. */
    static List<Path> files(Path log) {
        List<Path> out = new ArrayList<>();
        int n = 1;
        while (Files.exists(numbered(log, n))) {
            n++;
        }
        for (int i = n - 1; i >= 1; i--) {
            out.add(numbered(log, i));
        }
        Path cur = cur(log);
        try {
            if (Files.exists(cur) && Files.exists(log) && !Files.isSameFile(cur, log)) {
                out.add(cur);
            }
        } catch (IOException e) {
            // gone meanwhile
        }
        out.add(log);
        return out;
    }
}
