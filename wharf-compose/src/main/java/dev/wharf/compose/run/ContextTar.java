package dev.wharf.compose.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A build context as the tar {@code POST /build} takes: the directory's files, less those its
 * {@code .dockerignore} excludes (glob patterns, {@code **}, and {@code !} exceptions, the last
 * match winning). The Dockerfile and {@code .dockerignore} are always sent, as the docker CLI
 * sends them.
 */
final class ContextTar {

    private record Rule(PathMatcher matcher, boolean exclude) {
    }

    private ContextTar() {
    }

    static void write(Path dir, String dockerfile, OutputStream out) throws IOException {
        List<Rule> rules = rules(dir);
        String df = dockerfile == null ? "Dockerfile" : dockerfile;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
                Stream<Path> walk = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = dir.relativize(p).toString();
                if (!rel.equals(df) && !rel.equals(".dockerignore") && excluded(rules, Path.of(rel))) {
                    continue;
                }
                add(tar, p, rel);
            }
            tar.finish();
        }
    }

    private static void add(TarArchiveOutputStream tar, Path p, String rel) throws IOException {
        if (Files.isSymbolicLink(p)) {
            TarArchiveEntry e = new TarArchiveEntry(rel, org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return;
        }
        boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e = new TarArchiveEntry(p.toFile(), isDir ? rel + "/" : rel);
        e.setMode((isDir ? 040000 : 0100000) | mode(p));
        tar.putArchiveEntry(e);
        if (!isDir) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            int m = 0;
            for (PosixFilePermission perm : perms) {
                m |= 1 << (8 - perm.ordinal());
            }
            return m;
        } catch (IOException | UnsupportedOperationException e) {
            return 0644;
        }
    }

    private static List<Rule> rules(Path dir) {
        Path ignore = dir.resolve(".dockerignore");
        List<Rule> rules = new ArrayList<>();
        if (!Files.isRegularFile(ignore)) {
            return rules;
        }
        try {
            for (String line : Files.readAllLines(ignore)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                boolean exclude = !l.startsWith("!");
                String pat = (exclude ? l : l.substring(1)).strip();
                while (pat.startsWith("/")) {
                    pat = pat.substring(1);
                }
                if (pat.startsWith("./")) {
                    pat = pat.substring(2);
                }
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pat), exclude));
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pat + "/**"), exclude));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    static boolean excluded(List<Rule> rules, Path rel) {
        boolean out = false;
        for (Rule r : rules) {
            if (r.matcher().matches(rel)) {
                out = r.exclude();
            }
        }
        return out;
    }
}
