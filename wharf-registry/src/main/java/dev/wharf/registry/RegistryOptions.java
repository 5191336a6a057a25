package dev.wharf.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How the daemon reaches registries.
 *
 * @param insecure    {@code --insecure-registry}: {@code host[:port]} names or CIDRs whose TLS is not
 *                    verified and which may be spoken to over plain HTTP; loopback addresses always are,
 *                    as in Docker, unless a CA for them is in {@code certsDir}
 * @param mirrors     {@code --registry-mirror}: tried in order before Docker Hub, for pulls
 * @param certsDir    per-registry TLS material, Docker's {@code certs.d} layout:
 *                    {@code <certsDir>/<host:port>/ca.crt}, {@code *.crt} (CAs),
 *                    {@code *.cert} with {@code *.key} (client certificate and key, PEM)
 * @param maxConcurrentDownloads blobs fetched at once per pull (Docker's default is 3)
 * @param maxConcurrentUploads   blobs pushed at once per push (Docker's default is 5)
 */
public record RegistryOptions(List<String> insecure, List<URI> mirrors, Path certsDir, int maxConcurrentDownloads,
        int maxConcurrentUploads) {

    public static final Path DEFAULT_CERTS_DIR = Path.of("/etc/wharf/certs.d");

    public RegistryOptions {
        insecure = List.copyOf(insecure);
        mirrors = List.copyOf(mirrors);
        if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), DEFAULT_CERTS_DIR, 3, 5);
    }
}
