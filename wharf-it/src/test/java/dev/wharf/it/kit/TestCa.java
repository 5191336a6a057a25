package dev.wharf.it.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A certificate authority made for one test with openssl: server and client certificates for 127.0.0.1. */
public final class TestCa {

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    public static TestCa create(String name) {
        Path dir = TempPaths.dir("wharf-it-ca-");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-keyout", "ca.key", "-out", "ca.crt");
        return new TestCa(dir);
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A server certificate for 127.0.0.1 signed by this CA. */
    public void issueServer(Path crt, Path key) throws IOException {
        issue(crt, key, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
    }

    /** A client certificate signed by this CA. */
    public void issueClient(Path crt, Path key) throws IOException {
        issue(crt, key, "/CN=wharf-test-client", "extendedKeyUsage=clientAuth");
    }

    private void issue(Path crt, Path key, String subject, String ext) throws IOException {
        Path csr = Files.createTempFile(dir, "req", ".csr");
        Path extFile = Files.createTempFile(dir, "ext", ".cnf");
        Files.writeString(extFile, ext + "\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", key.toString(), "-out",
                csr.toString());
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", extFile.toString(), "-out", crt.toString());
    }

    static void openssl(Path cwd, String... args) {
        List<String> cmd = ProcessRunner.concat(List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"",
                cwd.toString()), args);
        CliResult r = ProcessRunner.run(cmd, Map.of(), null, Duration.ofSeconds(60));
        if (r.exitCode() != 0) {
            throw new AssertionError("openssl failed: " + r);
        }
    }
}
