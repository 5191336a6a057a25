package dev.wharf.engine.build;

import dev.wharf.archive.Compression;
import dev.wharf.archive.ExtractOptions;
import dev.wharf.archive.Extractor;
import dev.wharf.archive.ScopedPath;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.builder.dispatch.BuildBackend;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * COPY, ADD and WORKDIR without a container: sources are looked up (and their checksum taken)
 * first, then written into a {@link Scratchpad} over the parent image, whose upper directory is
 * the layer. Docker's rules: a directory source copies its contents; a file goes into the
 * destination when that ends in {@code /} or is a directory, else becomes it; missing directories
 * are made (owned as {@code --chown} says); ADD unpacks a local tar archive.
 */
final class FileStep {

    private final Session s;

    FileStep(Session s) {
        this.s = s;
    }

    // ---- sources ----

    BuildBackend.Sources sources(BuildBackend.SourceRequest r) throws IOException {
        MessageDigest md = dev.wharf.base.id.Digest.sha256();
        List<String> ctxPaths = new ArrayList<>();
        List<String> imagePatterns = new ArrayList<>();
        List<CopySources.Download> downloads = new ArrayList<>();
        int count = 0;
        for (String p : r.paths()) {
            if (r.add() && UrlFetch.isGit(p)) {
                throw new InvalidArgumentException("ADD of a git repository (" + p + ") is not supported by Wharf");
            }
            if (r.add() && UrlFetch.isUrl(p) && r.fromImageId() == null) {
                UrlFetch.Fetched f = UrlFetch.fetch(p, s.tmp(), r.checksum());
                downloads.add(new CopySources.Download(p, f.file(), f.name(), f.mtimeMillis()));
                md.update(("url " + p + " " + f.digest() + "\n").getBytes(StandardCharsets.UTF_8));
                count++;
                continue;
            }
            if (r.checksum() != null) {
                throw new InvalidArgumentException("checksum can't be specified for non-HTTP(S) sources");
            }
            if (r.fromImageId() != null) {
                Glob.relative(p, "source");
                imagePatterns.add(p);
                md.update(("image " + r.fromImageId() + " " + p + "\n").getBytes(StandardCharsets.UTF_8));
                count++;
                continue;
            }
            String rel = Glob.relative(p, "source");
            boolean glob = Glob.hasMeta(rel);
            List<String> matched = glob ? Glob.expand(s.context().root, rel) : List.of(rel);
            for (String m : matched) {
                if (s.context().checksum(m, md) == null) {
                    throw new NotFoundException(failed(r) + "file not found in build context or excluded by "
                            + ".dockerignore: stat " + p + ": file does not exist");
                }
                ctxPaths.add(m);
                count++;
            }
        }
        for (BuildBackend.Inline i : r.inline()) {
            md.update(("inline " + i.name() + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(i.content());
            count++;
        }
        if (count == 0) {
            throw new InvalidArgumentException(failed(r) + "no source files were specified");
        }
        String sum = "sha256:" + HexFormat.of().formatHex(md.digest());
        return new CopySources(sum, ctxPaths, r.fromImageId(), imagePatterns, downloads, r.inline(), count);
    }

    /** How Docker's builder starts the message of a source that fails: {@code COPY failed: }. */
    private static String failed(BuildBackend.SourceRequest r) {
        return (r.add() ? "ADD" : "COPY") + " failed: ";
    }

    // ---- COPY / ADD ----

    StagedLayer copy(BuildBackend.CopySpec spec) throws IOException {
        CopySources src = (CopySources) spec.sources();
        List<String> chains = spec.link() ? List.of() : s.chains(spec.parentId());
        try (Scratchpad pad = Scratchpad.open(s.tmp(), s.layers(), chains)) {
            Path root = pad.root();
            Identity owner = Identity.parse(spec.chown(), spec.link() ? null : root);
            Integer chmod = spec.chmod() == null ? null : Integer.parseInt(spec.chmod(), 8);
            String dest = spec.dest();
            boolean destDir = dest.endsWith("/") || src.count() > 1;
            List<Item> items = new ArrayList<>();
            for (String p : src.contextPaths()) {
                Path real = ScopedPath.resolve(s.context().root, "/" + p, true);
                if (real == null || !Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                    throw new NotFoundException("file not found in build context or excluded by .dockerignore: stat "
                            + p + ": file does not exist");
                }
                items.add(new Item(real, baseName(p), spec.add() && !Files.isDirectory(real), 0));
            }
            if (src.imageId() != null) {
                collectFromImage(src, items);
            }
            for (CopySources.Download d : src.downloads()) {
                items.add(new Item(d.file(), d.name(), false, d.mtimeMillis(), 0600));
            }
            for (BuildBackend.Inline i : src.inline()) {
                Path f = Files.createTempFile(pad.dir(), "inline-", "");
                Files.write(f, i.content());
                items.add(new Item(f, i.name(), false, 0, 0644));
            }
            if (items.size() > 1) {
                destDir = true;
            }
            Path destHost = ScopedPath.resolve(root, dest, true);
            if (!destDir && destHost != null && Files.isDirectory(destHost)) {
                destDir = true;
            }
            for (Item it : items) {
                if (Files.isDirectory(it.path())) {
                    Path dir = mkdirs(root, dest, owner);
                    copyTree(it.path(), dir, owner, chmod);
                } else if (it.unpack() && isArchive(it.path())) {
                    Path dir = mkdirs(root, dest, owner);
                    try (InputStream in = Files.newInputStream(it.path())) {
                        Extractor.extractPlain(in, dir, ExtractOptions.DEFAULTS);
                    }
                } else {
                    String target = destDir ? dest + (dest.endsWith("/") ? "" : "/") + it.name() : dest;
                    Path parent = mkdirs(root, parentOf(target), owner);
                    Path file = parent.resolve(baseName(target));
                    copyOne(it.path(), file, owner, chmod != null ? chmod : it.mode(), it.mtime());
                }
            }
            return pad.finish(s.layers());
        }
    }

    private record Item(Path path, String name, boolean unpack, long mtime, Integer mode) {
        Item(Path path, String name, boolean unpack, long mtime) {
            this(path, name, unpack, mtime, null);
        }
    }

    private void collectFromImage(CopySources src, List<Item> items) throws IOException {
        Scratchpad view = s.view(src.imageId());
        for (String p : src.imagePatterns()) {
            String rel = Glob.relative(p, "source");
            List<String> matched = Glob.expand(view.root(), rel);
            if (matched.isEmpty() && !Glob.hasMeta(rel)) {
                throw new NotFoundException("file not found in build context or excluded by .dockerignore: stat "
                        + p + ": file does not exist");
            }
            for (String m : matched) {
                Path real = ScopedPath.resolve(view.root(), "/" + m, true);
                if (real == null || !Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                    throw new NotFoundException("file not found: stat " + p + ": file does not exist");
                }
                items.add(new Item(real, m.isEmpty() ? "" : baseName(m), false, 0));
            }
        }
    }

    // ---- WORKDIR ----

    StagedLayer mkdir(String parentId, String path) throws IOException {
        try (Scratchpad pad = Scratchpad.open(s.tmp(), s.layers(), s.chains(parentId))) {
            mkdirs(pad.root(), path, Identity.ROOT);
            return pad.finish(s.layers());
        }
    }

    // ---- file system work ----

    /** Makes every missing directory of {@code abs} inside {@code root} (symlinks followed in scope). */
    static Path mkdirs(Path root, String abs, Identity owner) throws IOException {
        String clean = Path.of("/", abs).normalize().toString();
        if (clean.equals("/")) {
            return root.toRealPath();
        }
        StringBuilder prefix = new StringBuilder();
        Path p = root.toRealPath();
        for (String part : clean.substring(1).split("/")) {
            prefix.append('/').append(part);
            p = ScopedPath.resolve(root, prefix.toString(), true);
            if (p == null) {
                throw new InvalidArgumentException("cannot make directory " + prefix + ": a parent is not a directory");
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, ContextDir.perms(0755));
                chown(p, owner);
            } else if (!Files.isDirectory(p)) {
                throw new InvalidArgumentException("cannot copy to " + prefix + ": not a directory");
            }
        }
        return p;
    }

    private static void copyTree(Path src, Path dst, Identity owner, Integer chmod) throws IOException {
        List<Path> children;
        try (Stream<Path> st = Files.list(src)) {
            children = st.sorted().toList();
        }
        for (Path c : children) {
            Path t = dst.resolve(c.getFileName().toString());
            if (Files.isSymbolicLink(c)) {
                replace(t);
                Files.createSymbolicLink(t, Files.readSymbolicLink(c));
                chown(t, owner);
            } else if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(t);
                }
                if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(t);
                }
                copyTree(c, t, owner, chmod);
                int mode = (int) Files.getAttribute(c, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                Files.setPosixFilePermissions(t, ContextDir.perms(chmod != null ? chmod : mode));
                chown(t, owner);
                Files.setLastModifiedTime(t, Files.getLastModifiedTime(c, LinkOption.NOFOLLOW_LINKS));
            } else if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
                copyOne(c, t, owner, chmod, 0);
            }
        }
    }

    private static void copyOne(Path src, Path dst, Identity owner, Integer mode, long mtime) throws IOException {
        replace(dst);
        Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int m = mode != null ? mode : (int) Files.getAttribute(src, "unix:mode") & 07777;
        Files.setPosixFilePermissions(dst, ContextDir.perms(m));
        chown(dst, owner);
        if (m > 0777) {
            Files.setAttribute(dst, "unix:mode", m);
        }
        if (mtime > 0) {
            Files.setLastModifiedTime(dst, FileTime.fromMillis(mtime));
        }
    }

    private static void replace(Path t) throws IOException {
        if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(t.toString(), null, "cannot replace a directory with a file");
        }
        Files.deleteIfExists(t);
    }

    private static void chown(Path p, Identity owner) throws IOException {
        Files.setAttribute(p, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isArchive(Path f) throws IOException {
        try (InputStream raw = Files.newInputStream(f)) {
            BufferedInputStream in = new BufferedInputStream(raw, 1024);
            in.mark(Compression.MAGIC_LENGTH);
            byte[] magic = in.readNBytes(Compression.MAGIC_LENGTH);
            in.reset();
            if (Compression.detect(magic) != Compression.NONE) {
                return true;
            }
            return ContextDir.isTar(in.readNBytes(512));
        }
    }

    static String baseName(String p) {
        String t = p;
        while (t.endsWith("/") && t.length() > 1) {
            t = t.substring(0, t.length() - 1);
        }
        return t.substring(t.lastIndexOf('/') + 1);
    }

    static String parentOf(String p) {
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }
}
