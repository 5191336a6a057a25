package dev.wharf.cli.command.container;

import dev.wharf.archive.ExtractOptions;
import dev.wharf.archive.Extractor;
import dev.wharf.archive.TarWriter;
import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.command.image.Progress;
import dev.wharf.client.TransferApi;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.container.PathStat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf cp}, as {@code docker cp}: {@code CONTAINER:SRC_PATH DEST_PATH|-} and
 * {@code SRC_PATH|- CONTAINER:DEST_PATH}, with the same path rules ({@link CopyPaths}). Host files
 * are tarred with {@link TarWriter}; tars from the daemon are renamed with {@link TarRebase} when
 * the copy takes a new name and extracted with wharf-archive's {@link Extractor}, which never
 * writes outside the destination directory.
 */
@Command(name = "cp")
public final class CpCommand extends WharfCommand {

    private static final long GO_DIR = 1L << 31;
    private static final long GO_SYMLINK = 1L << 27;
    private static final long GO_DEVICE = 1L << 26;
    private static final long GO_IRREGULAR = (1L << 25) | (1L << 24) | (1L << 19);

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "SRC_PATH DEST_PATH")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        requireExactly(args, 2);
        String src = args.get(0);
        String dst = args.get(1);
        int sc = containerSep(src);
        int dc = containerSep(dst);
        if (sc > 0 && dc > 0) {
            throw new Cli.Exit(1, "copying between containers is not supported");
        }
        if (sc < 0 && dc < 0) {
            throw new Cli.Exit(1, "must specify at least one container source");
        }
        if (sc == 0 || dc == 0 || (sc > 0 && src.length() == sc + 1) || (dc > 0 && dst.length() == dc + 1)) {
            throw new Cli.Exit(1, "filepath cannot be empty");
        }
        TransferApi api = TransferApi.of(cli.client());
        try {
            if (sc > 0) {
                fromContainer(api, src.substring(0, sc), src.substring(sc + 1), dst);
            } else {
                toContainer(api, src, dst.substring(0, dc), dst.substring(dc + 1));
            }
        } catch (CopyPaths.CopyException e) {
            throw new Cli.Exit(1, e.getMessage());
        }
        return 0;
    }

    private void fromContainer(TransferApi api, String container, String srcPath, String dst) throws IOException {
        String rebaseName = "";
        if (followLink) {
            Optional<PathStat> st = api.stat(container, srcPath);
            if (st.isPresent() && (st.get().mode() & GO_SYMLINK) != 0) {
                String target = CopyPaths.joinLink(srcPath, st.get().linkTarget());
                CopyPaths.Info r = CopyPaths.rebase(srcPath, target, true, false);
                srcPath = r.path();
                rebaseName = r.rebaseName();
            }
        }
        if (dst.equals("-")) {
            try (HttpResponse r = api.archive(container, srcPath)) {
                InputStream body = rebaseName.isEmpty() ? r.body()
                        : TarRebase.rebased(r.body(), CopyPaths.split(srcPath)[1], rebaseName);
                Progress.copy(body, cli.out(), cli.err(), false, "");
                cli.out().flush();
            }
            return;
        }
        validateOutputPath(dst);
        CopyPaths.Info dstInfo = hostDestination(dst);
        try (HttpResponse r = api.archive(container, srcPath)) {
            PathStat st = TransferApi.statOf(r);
            boolean isDir = st != null && (st.mode() & GO_DIR) != 0;
            String tarBase = CopyPaths.split(srcPath)[1];
            CopyPaths.Plan plan = CopyPaths.prepare(new CopyPaths.Info(srcPath, true, isDir, rebaseName), dstInfo);
            InputStream tar = r.body();
            String from = tarBase.equals("/") ? "." : tarBase;
            if (!from.equals(plan.toBase())) {
                tar = TarRebase.rebased(tar, from, plan.toBase());
            }
            Path dir = Path.of(plan.dir());
            try {
                Extractor.extractPlain(tar, dir, new ExtractOptions(true, archive));
            } catch (dev.wharf.base.error.WharfException e) {
                throw new Cli.Exit(1, "copying to " + dst + ": " + e.getMessage());
            }
        }
    }

    private void toContainer(TransferApi api, String src, String container, String dstPath) throws IOException {
        CopyPaths.Info dstInfo = new CopyPaths.Info(dstPath, false, false, "");
        Optional<PathStat> dstStat = api.stat(container, dstPath);
        if (dstStat.isPresent() && (dstStat.get().mode() & GO_SYMLINK) != 0) {
            String target = CopyPaths.joinLink(dstPath, dstStat.get().linkTarget());
            dstInfo = new CopyPaths.Info(target, false, false, "");
            dstStat = api.stat(container, target);
        }
        if (dstStat.isPresent()) {
            long mode = dstStat.get().mode();
            String why = (mode & GO_DEVICE) != 0 ? "got a device" : (mode & GO_IRREGULAR) != 0 ? "got an irregular file" : null;
            if (why != null) {
                throw new Cli.Exit(1, "destination \"" + container + ":" + dstPath
                        + "\" must be a directory or a regular file: " + why);
            }
            dstInfo = new CopyPaths.Info(dstInfo.path(), true, (mode & GO_DIR) != 0, "");
        }
        if (src.equals("-")) {
            if (!dstInfo.isDir()) {
                throw new Cli.Exit(1, "destination \"" + container + ":" + dstPath + "\" must be a directory");
            }
            api.extract(container, dstInfo.path(), cli.in(), true, archive);
            return;
        }
        CopyPaths.Info srcInfo = hostSource(src);
        CopyPaths.Plan plan = CopyPaths.prepare(srcInfo, dstInfo);
        Path from = Path.of(CopyPaths.clean(srcInfo.path()));
        String name = plan.toBase().equals("/") ? "." : plan.toBase();
        try (InputStream tar = TarRebase.produced(out -> TarWriter.writeTree(from, name, out))) {
            api.extract(container, plan.dir(), tar, true, archive);
        }
    }

    /** moby's {@code CopyInfoSourcePath} on the host: parents' symlinks resolved, the last one only with -L. */
    private CopyPaths.Info hostSource(String src) throws IOException {
        String path = absolute(src);
        String resolved;
        String rebase = "";
        if (followLink) {
            Path real = realPath(Path.of(CopyPaths.clean(path)), src);
            CopyPaths.Info r = CopyPaths.rebase(path, real.toString(), true, false);
            resolved = r.path();
            rebase = r.rebaseName();
        } else {
            String[] d = CopyPaths.split(path);
            Path parent = realPath(Path.of(d[0]), src);
            String base = CopyPaths.base(path);
            resolved = (parent.toString().equals("/") ? "" : parent.toString()) + "/" + base
                    + (CopyPaths.hasTrailingSeparator(path) ? "/" : "");
            if (CopyPaths.specifiesCurrentDir(path)) {
                resolved = parent.toString();
                resolved = CopyPaths.rebase(path, resolved, true, true).path();
            }
            if (CopyPaths.hasTrailingSeparator(path) && !CopyPaths.base(path).equals(CopyPaths.base(resolved))) {
                rebase = CopyPaths.base(path);
            }
        }
        Path p = Path.of(CopyPaths.clean(resolved));
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Cli.Exit(1, "lstat " + p + ": no such file or directory");
        }
        if (CopyPaths.assertsDirectory(src) && !a.isDirectory()) {
            throw new Cli.Exit(1, "lstat " + src + ": not a directory");
        }
        return new CopyPaths.Info(resolved, true, a.isDirectory(), rebase);
    }

    /** moby's {@code CopyInfoDestinationPath} on the host: a symlink is followed; a missing path needs its parent. */
    private static CopyPaths.Info hostDestination(String dst) throws IOException {
        String path = absolute(dst);
        Path p = Path.of(CopyPaths.clean(path));
        for (int n = 0; Files.isSymbolicLink(p); n++) {
            if (n > 10) {
                throw new Cli.Exit(1, "too many symlinks in " + dst);
            }
            path = CopyPaths.joinLink(p.toString(), Files.readSymbolicLink(p).toString());
            p = Path.of(path);
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return new CopyPaths.Info(path, true, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), "");
        }
        String parent = CopyPaths.split(path)[0];
        if (!Files.exists(Path.of(parent))) {
            throw new Cli.Exit(1, "stat " + parent + ": no such file or directory");
        }
        if (!Files.isDirectory(Path.of(parent))) {
            throw new Cli.Exit(1, "not a directory");
        }
        return new CopyPaths.Info(path, false, false, "");
    }

    private static void validateOutputPath(String dst) {
        String dir = CopyPaths.dir(CopyPaths.clean(dst));
        if (!dir.isEmpty() && !dir.equals(".") && !Files.exists(Path.of(dir))) {
            throw new Cli.Exit(1, "invalid output path: directory \"" + dir + "\" does not exist");
        }
        Path p = Path.of(dst);
        if (Files.exists(p) && !Files.isDirectory(p) && !Files.isRegularFile(p)) {
            throw new Cli.Exit(1, "invalid output path: \"" + dst + "\" must be a directory or a regular file");
        }
    }

    /** The path made absolute against the working directory, keeping a trailing {@code /} or {@code /.}. */
    private static String absolute(String path) {
        if (path.startsWith("/")) {
            return path;
        }
        String cwd = Path.of("").toAbsolutePath().toString();
        return (cwd.equals("/") ? "" : cwd) + "/" + path;
    }

    private static Path realPath(Path p, String asked) throws IOException {
        try {
            return p.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Cli.Exit(1, "lstat " + CopyPaths.clean(absolute(asked)) + ": no such file or directory");
        }
    }

    /** docker's rule: a colon before any slash separates CONTAINER:PATH; a path starting with / or . is local. */
    private static int containerSep(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return -1;
        }
        int colon = arg.indexOf(':');
        int slash = arg.indexOf('/');
        return colon >= 0 && (slash < 0 || colon < slash) ? colon : -1;
    }
}
