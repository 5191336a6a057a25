package dev.wharf.engine.container;

import dev.wharf.archive.ScopedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Maps a path inside a container onto the host directory that holds it, as {@code docker cp}
 * sees the container: under a volume or bind mount point the path lives in the mount's source
 * (the volume's directory, the bound host path), elsewhere in the root file system. The mount
 * point is found lexically on the cleaned path (the longest destination that is a prefix), and the
 * rest is resolved inside the mount's source by {@link ScopedPath}, so a symlink in a volume never
 * leads out of it. tmpfs mounts exist only in the container's mount namespace and are not mapped.
 */
final class MountedPaths {

    private MountedPaths() {
    }

    /**
     * Where a container path is: {@code root} to resolve {@code path} in, the {@code mount} it is
     * under (null for the root file system), and the mount point {@code prefix} ("" for the root).
     */
    record Target(Path root, String path, ContainerMount mount, String prefix) {

        /** A host path inside {@link #root()} as the container sees it. */
        String containerPath(String inside) {
            if (prefix.isEmpty()) {
                return inside;
            }
            return inside.equals("/") ? prefix : prefix + inside;
        }
    }

    static Target locate(Path rootfs, List<ContainerMount> mounts, Function<String, Path> volumeDir, String path)
            throws IOException {
        String clean = Path.of("/", path).normalize().toString();
        ContainerMount best = null;
        String bestDest = "";
        for (ContainerMount m : mounts == null ? List.<ContainerMount>of() : mounts) {
            if (m.type() == null || m.type().equals("tmpfs") || m.destination() == null) {
                continue;
            }
            String dest = Path.of("/", m.destination()).normalize().toString();
            if (dest.equals("/")) {
                continue;
            }
            boolean under = clean.equals(dest) || clean.startsWith(dest + "/");
            if (under && dest.length() > bestDest.length()) {
                best = m;
                bestDest = dest;
            }
        }
        if (best == null) {
            return new Target(rootfs, path, null, "");
        }
        Path source = switch (best.type()) {
            case "volume" -> {
                Path dir = volumeDir.apply(best.name());
                if (best.subpath() != null && !best.subpath().isEmpty()) {
                    Path sub = ScopedPath.resolve(dir, best.subpath(), true);
                    dir = sub == null ? dir.resolve("missing-subpath") : sub;
                }
                yield dir;
            }
            case "bind" -> Path.of(best.source());
            default -> null;
        };
        if (source == null) {
            return new Target(rootfs, path, null, "");
        }
        String rest = clean.substring(bestDest.length());
        String suffix = path.endsWith("/.") ? "/." : path.endsWith("/") ? "/" : "";
        if (!Files.isDirectory(source)) {
            // a bound file: only the mount point itself names it
            return new Target(source.getParent(), "/" + source.getFileName() + suffix, best,
                    bestDest.substring(0, bestDest.lastIndexOf('/')));
        }
        String inside = rest.isEmpty() ? "/" : rest;
        if (!suffix.isEmpty() && !inside.endsWith(suffix)) {
            inside = inside.endsWith("/") ? inside + suffix.substring(1) : inside + suffix;
        }
        return new Target(source, inside, best, bestDest);
    }
}
