package dev.wharf.it.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 and a random port, with its
 * own storage under a temporary directory: plain, with htpasswd Basic auth, behind TLS (a test CA
 * made with openssl, optionally requiring client certificates), or with a {@link TokenServer}.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final String USER = "wharfuser";
    public static final String PASSWORD = "s3cret-pw";

    /** How the registry is set up. */
    public record Options(boolean basicAuth, TestCa tls, boolean clientCerts, TokenServer token) {
        public static Options plain() {
            return new Options(false, null, false, null);
        }
    }

    private final Path dir;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static LocalRegistry start(Options o) {
        try {
            Path dir = TempPaths.dir("wharf-it-registry-");
            int port = freePort();
            StringBuilder yml = new StringBuilder("""
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s/data
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir, port));
            if (o.tls() != null) {
                Path crt = dir.resolve("server.crt");
                Path key = dir.resolve("server.key");
                o.tls().issueServer(crt, key);
                yml.append("  tls:\n    certificate: ").append(crt).append("\n    key: ").append(key).append('\n');
                if (o.clientCerts()) {
                    yml.append("    clientcas:\n      - ").append(o.tls().caCert()).append('\n');
                }
            }
            if (o.basicAuth()) {
                Path htpasswd = dir.resolve("htpasswd");
                byte[] salt = new byte[16];
                new SecureRandom().nextBytes(salt);
                Files.writeString(htpasswd, USER + ":" + OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), salt, 6)
                        + "\n");
                yml.append("auth:\n  htpasswd:\n    realm: wharf-test\n    path: ").append(htpasswd).append('\n');
            } else if (o.token() != null) {
                yml.append("auth:\n  token:\n    realm: ").append(o.token().realm())
                        .append("\n    service: ").append(TokenServer.SERVICE)
                        .append("\n    issuer: ").append(TokenServer.ISSUER)
                        .append("\n    rootcertbundle: ").append(o.token().certificate()).append('\n');
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, yml.toString());
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve("registry.log").toFile());
            Process p = pb.start();
            LocalRegistry r = new LocalRegistry(dir, port, p);
            r.awaitListening();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("docker-registry exited: " + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("docker-registry did not listen on " + port + ": " + log());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:PORT} */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Where the registry keeps blob {@code sha256:<hex>} (distribution's filesystem driver layout). */
    public Path blobData(String digest) {
        String hex = digest.substring(7);
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code skopeo ARGS...}, asserting exit 0; stdout. */
    public static String skopeo(String... args) {
        CliResult r = ProcessRunner.run(ProcessRunner.concat(List.of("/usr/bin/skopeo"), args), Map.of(), null,
                Duration.ofSeconds(120));
        if (r.exitCode() != 0) {
            throw new AssertionError("skopeo failed: " + r);
        }
        return r.stdout();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WharfdProcess.exec(List.of("rm", "-rf", dir.toString()));
    }
}
