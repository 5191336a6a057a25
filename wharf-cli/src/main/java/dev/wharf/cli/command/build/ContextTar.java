package dev.wharf.cli.command.build;

import dev.wharf.builder.ignore.IgnoreMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The build context as the docker CLI sends it: the directory as a tar, paths the ignore file
 * names left out (the Dockerfile and the ignore file always in), a Dockerfile from outside the
 * context added under a generated name, and {@code --secret} values under the reserved
 * {@code .wharf-build-secrets/} directory, which the daemon takes out and never writes.
 * Streamed: a virtual thread writes the tar into a pipe the request body reads.
 */
final class ContextTar {

    static final String SECRETS_PREFIX = ".wharf-build-secrets/";

    private ContextTar() {
    }

    /** What to send: the directory (or null for a Dockerfile alone), an extra Dockerfile entry, secrets. */
    record Spec(Path dir, IgnoreMatcher ignore, String keepDockerfile, String extraName, byte[] extraDockerfile,
            Map<String, byte[]> secrets) {
    }

    static InputStream open(Spec spec, AtomicLong sent) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread.ofVirtual().name("build-context").start(() -> {
            try (out) {
                write(spec, new CountingOutput(out, sent));
            } catch (IOException e) {
                // the request failed; the reader sees the pipe end
            }
        });
        return in;
    }

    static void write(Spec spec, OutputStream sink) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(sink, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        if (spec.dir() != null) {
            walk(tar, spec, spec.dir(), "");
        }
        if (spec.extraDockerfile() != null) {
            TarArchiveEntry e = new TarArchiveEntry(spec.extraName());
            e.setMode(0100644);
            e.setSize(spec.extraDockerfile().length);
            tar.putArchiveEntry(e);
            tar.write(spec.extraDockerfile());
            tar.closeArchiveEntry();
        }
        for (Map.Entry<String, byte[]> s : spec.secrets().entrySet()) {
            TarArchiveEntry e = new TarArchiveEntry(SECRETS_PREFIX + s.getKey());
            e.setMode(0100400);
            e.setSize(s.getValue().length);
            tar.putArchiveEntry(e);
            tar.write(s.getValue());
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    private static void walk(TarArchiveOutputStream tar, Spec spec, Path dir, String rel) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path c : children) {
            String name = rel.isEmpty() ? c.getFileName().toString() : rel + "/" + c.getFileName();
            boolean always = name.equals(spec.keepDockerfile()) || name.equals(".dockerignore");
            boolean isDir = Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS);
            if (!always && spec.ignore().matches(name)) {
                if (isDir && !spec.ignore().canSkipDir(name)) {
                    walk(tar, spec, c, name); // an exception may bring back something below
                }
                continue;
            }
            Map<String, Object> a = Files.readAttributes(c, "unix:mode,uid,gid,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            TarArchiveEntry e;
            if (Files.isSymbolicLink(c)) {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(c).toString());
            } else if (isDir) {
                e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
            } else if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
                e = new TarArchiveEntry(name);
                e.setSize((long) a.get("size"));
            } else {
                continue;
            }
            e.setMode(mode);
            e.setUserId((int) a.get("uid"));
            e.setGroupId((int) a.get("gid"));
            e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis());
            tar.putArchiveEntry(e);
            if (e.isFile()) {
                try (InputStream in = Files.newInputStream(c)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
            if (isDir) {
                walk(tar, spec, c, name);
            }
        }
    }

    private static final class CountingOutput extends java.io.FilterOutputStream {
        private final AtomicLong count;

        CountingOutput(OutputStream out, AtomicLong count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }
    }
}
