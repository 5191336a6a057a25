package dev.wharf.store.content;

import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content by digest. Layout under the data root:
 * <pre>
 *   blobs/sha256/&lt;hex&gt;     manifests, image configs, layer blobs
 * </pre>
 * A blob is written to a temporary name, fsynced and renamed into place; writing a blob that
 * already exists is not an error.
 */
public final class BlobStore {

    private final Path dir;

    public BlobStore(Path dataRoot) throws IOException {
        this.dir = dataRoot.resolve("blobs").resolve("sha256");
        Files.createDirectories(dir);
    }

    public Digest put(byte[] data) throws IOException {
        Digest d = Digest.of(data);
        Path p = path(d);
        if (!Files.exists(p)) {
            AtomicFiles.write(p, data);
        }
        return d;
    }

    public Optional<byte[]> get(Digest d) throws IOException {
        Path p = path(d);
        return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(path(d));
    }

    public Path path(Digest d) {
        return dir.resolve(d.hex());
    }
}
