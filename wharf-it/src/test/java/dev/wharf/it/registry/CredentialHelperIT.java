package dev.wharf.it.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.LocalRegistry;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code wharf login/push/pull/logout} keep credentials where the user's Docker config says: in a
 * credential helper ({@code credsStore}, {@code credHelpers}) spoken to over its stdin/stdout
 * protocol, never in {@code config.json} itself.
 */
@WharfIT
class CredentialHelperIT {

    /** A helper that keeps one credential in a file beside it and records every call. */
    private static final String HELPER = """
            #!/bin/sh
            d="$(dirname "$0")"
            case "$1" in
              store) cat > "$d/secret.json"; echo store >> "$d/calls" ;;
              get) read -r key; echo "get $key" >> "$d/calls"
                   if [ -f "$d/secret.json" ]; then cat "$d/secret.json"
                   else echo "credentials not found in native keychain"; exit 1; fi ;;
              erase) read -r key; echo "erase $key" >> "$d/calls"; rm -f "$d/secret.json" ;;
              *) exit 2 ;;
            esac
            """;

    @Test
    void credsStore_keepsTheSecret_forLoginPushPull_andLogoutErasesIt(WharfCli cli, DockerCli docker)
            throws IOException {
        Path home = Files.createTempDirectory("wharf-it-creds-");
        try (LocalRegistry r = LocalRegistry.start(new LocalRegistry.Options(true, null, false, null))) {
            Path bin = Files.createDirectories(home.resolve("bin"));
            Path helper = bin.resolve("docker-credential-wharftest");
            Files.writeString(helper, HELPER);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.createDirectories(home.resolve("docker"));
            Files.writeString(config.resolve("config.json"), "{\"credsStore\": \"wharftest\"}");
            WharfCli wharf = cli.withEnv(Map.of("DOCKER_CONFIG", config.toString(),
                    "PATH", bin + ":" + System.getenv("PATH")));
            String ref = r.host() + "/helper/bb:1";

            CliResult login = wharf.run((LocalRegistry.PASSWORD + "\n").getBytes(StandardCharsets.UTF_8),
                    DockerCli.DEFAULT_TIMEOUT, "login", "-u", LocalRegistry.USER, "--password-stdin", r.host());
            assertThat(login.exitCode()).as(login.toString()).isZero();
            assertThat(login.stdout()).contains("Login Succeeded");
            assertThat(Files.readString(bin.resolve("secret.json")))
                    .contains(LocalRegistry.USER, LocalRegistry.PASSWORD, r.host());
            assertThat(Files.readString(config.resolve("config.json"))).doesNotContain(LocalRegistry.PASSWORD);

            docker.ok("tag", TestImages.BUSYBOX, ref);
            assertThat(wharf.ok("push", ref).stdout()).contains("1: digest: sha256:");
            docker.ok("rmi", ref);
            assertThat(wharf.ok("pull", ref).stdout()).contains("Downloaded newer image for " + ref);
            assertThat(Files.readAllLines(bin.resolve("calls"))).startsWith("store").contains("get " + r.host());

            wharf.ok("logout", r.host());
            assertThat(Files.readAllLines(bin.resolve("calls"))).contains("erase " + r.host());
            assertThat(bin.resolve("secret.json")).doesNotExist();
            docker.ok("rmi", ref);
            CliResult anonymous = wharf.run("pull", ref);
            assertThat(anonymous.exitCode()).isEqualTo(1);
            assertThat(anonymous.stderr()).contains("no basic auth credentials");
        } finally {
            try (Stream<Path> all = Files.walk(home)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
