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

    /**
     * The {@code RegistryConfig} of {@code GET /info}, as Docker shows it: loopback ranges and the
     * {@code --insecure-registry} CIDRs in {@code InsecureRegistryCIDRs}, every other insecure
     * entry in {@code IndexConfigs} with {@code Secure: false}, and Docker Hub with its mirrors.
     */
    public java.util.Map<String, Object> serviceConfig() {
        List<String> cidrs = new java.util.ArrayList<>(List.of("::1/128", "127.0.0.0/8"));
        java.util.Map<String, Object> index = new java.util.TreeMap<>();
        List<String> mirrorUrls = mirrors.stream().map(RegistryOptions::mirrorUrl).toList();
        for (String entry : insecure) {
            if (entry.contains("/")) {
                String c = Cidr.parse(entry).canonical();
                if (!cidrs.contains(c)) {
                    cidrs.add(c);
                }
            } else {
                index.put(entry, indexInfo(entry, List.of(), false, false));
            }
        }
        index.put("docker.io", indexInfo("docker.io", mirrorUrls, true, true));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("InsecureRegistryCIDRs", cidrs);
        m.put("IndexConfigs", index);
        m.put("Mirrors", mirrorUrls);
        return m;
    }

    private static java.util.Map<String, Object> indexInfo(String name, List<String> mirrors, boolean secure,
            boolean official) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("Name", name);
        m.put("Mirrors", mirrors);
        m.put("Secure", secure);
        m.put("Official", official);
        return m;
    }

    /** A mirror as Docker prints it: scheme, host and path, ending with a slash. */
    private static String mirrorUrl(URI u) {
        String s = u.toString();
        return s.endsWith("/") ? s : s + "/";
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(List.of(), List.of(), DEFAULT_CERTS_DIR, 3, 5);
    }
}
