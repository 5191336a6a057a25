package dev.wharf.it.compose;

import dev.wharf.it.kit.TempPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * The application the compose tests run, written into a temporary directory: a busybox httpd
 * front (published on a free host port) whose CGI proxies to the scaled {@code api} service by
 * its DNS name, as a reverse proxy does: it resolves every replica, starts at a random one and
 * moves to the next when one does not answer; like a resolver it asks again (2 s, three tries)
 * when a lookup gets no answer, and then falls back to the last answer it had, as a proxy's
 * resolver cache does; aardvark-dns 1.4 misses queries for a moment whenever a container on the
 * network starts or stops. An {@code api} of busybox httpd answering
 * "HOSTNAME vVERSION"; a {@code db} data service with a named volume and a healthcheck, which waits
 * for a one-shot {@code migrate} service to complete. {@code .env} sets the front's port, the api's
 * image and version.
 */
final class ComposeProject {

    static final String CGI = """
            #!/bin/sh
            for try in 1 2 3; do
              ips=$(timeout 2 nslookup api 2>/dev/null | awk '/^Name:/{n=1} n && /^Address/{print $2}')
              [ -n "$ips" ] && break
            done
            if [ -n "$ips" ]; then
              echo "$ips" > /tmp/api.$$ && mv /tmp/api.$$ /tmp/api
            else
              ips=$(cat /tmp/api 2>/dev/null)
            fi
            set -- $ips
            n=$#
            if [ "$n" -gt 0 ]; then
              i=$((RANDOM % n)); k=0
              while [ $k -lt $n ]; do
                j=$(( (i + k) % n + 1 ))
                eval ip=\\${$j}
                if body=$(timeout 3 wget -qO- "http://$ip:8080/"); then
                  printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' "$body"; exit 0
                fi
                k=$((k + 1))
              done
            fi
            printf 'Status: 502 Bad Gateway\\r\\nContent-Type: text/plain\\r\\n\\r\\nno api replica answered (of [%s])\\n' "$ips"
            """;

    static String compose(String image, int replicas, String updateConfig) {
        return """
                x-health: &health
                  interval: 1s
                  timeout: 3s
                  retries: 2
                  start_period: 20s
                  start_interval: 100ms
                services:
                  front:
                    image: %1$s
                    init: true
                    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
                    volumes: ["./front:/www:ro"]
                    ports: ["127.0.0.1:${FRONT_PORT}:80"]
                    depends_on:
                      api: {condition: service_healthy}
                  api:
                    image: ${API_IMAGE:-%1$s}
                    init: true
                    environment:
                      VERSION: ${VERSION:-1}
                    command: ["sh", "-c", "mkdir -p /www && echo \\"$$(hostname) v$${VERSION}\\" > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    healthcheck:
                      <<: *health
                      test: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/"]
                    deploy:
                      replicas: %2$d
                %3$s
                    depends_on:
                      db: {condition: service_healthy}
                  db:
                    image: %1$s
                    init: true
                    command: ["sh", "-c", "rm -f /data/ready; test -f /data/migrated && echo booted >> /data/boot.log && echo booted && touch /data/ready && exec sleep 100000"]
                    volumes: ["data:/data"]
                    healthcheck:
                      <<: *health
                      test: ["CMD", "test", "-f", "/data/ready"]
                    depends_on:
                      migrate: {condition: service_completed_successfully}
                  migrate:
                    image: %1$s
                    command: ["sh", "-c", "echo migrated > /data/migrated; echo migrated"]
                    volumes: ["data:/data"]
                volumes:
                  data:
                """.formatted(image, replicas, updateConfig);
    }

    final Path dir;
    final int port;

    private ComposeProject(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Writes the project into a new temp directory named {@code name} (the project's name). */
    static ComposeProject create(String name, String image, int replicas, String updateConfig) {
        try {
            Path dir = TempPaths.dir("wharf-it-compose-").resolve(name);
            Files.createDirectories(dir.resolve("front/cgi-bin"));
            Path cgi = dir.resolve("front/cgi-bin/api");
            Files.writeString(cgi, CGI);
            Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("compose.yaml"), compose(image, replicas, updateConfig));
            ComposeProject p = new ComposeProject(dir, freePort());
            p.env("");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code .env}: the front's port plus the given lines. */
    void env(String extra) {
        try {
            Files.writeString(dir.resolve(".env"), "FRONT_PORT=" + port + "\n" + extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String file() {
        return dir.resolve("compose.yaml").toString();
    }

    /** {@code wharf compose -f <file> ARGS}. */
    String[] args(String... rest) {
        String[] a = new String[rest.length + 3];
        a[0] = "compose";
        a[1] = "-f";
        a[2] = file();
        System.arraycopy(rest, 0, a, 3, rest.length);
        return a;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One request through the front; the status and body. */
    HttpResponse<String> get() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cgi-bin/api"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
