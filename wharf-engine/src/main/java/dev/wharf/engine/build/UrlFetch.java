package dev.wharf.engine.build;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** ADD of a URL: the daemon downloads it, hashing as it writes; errors read as Docker's. */
final class UrlFetch {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** A downloaded file and its sha256 ({@code sha256:hex}). */
    record Fetched(Path file, String digest, String name, long mtimeMillis) {
    }

    private UrlFetch() {
    }

    static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://");
    }

    static boolean isGit(String s) {
        return s.startsWith("git@") || s.startsWith("git://") || s.matches("https?://.*\\.git(#.*)?$");
    }

    static Fetched fetch(String url, Path dir, String expected) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid URL " + url + ": " + e.getMessage());
        }
        HttpResponse<InputStream> resp;
        try {
            resp = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new NotFoundException("Get \"" + url + "\": dial tcp " + hostPort(uri) + ": connect: connection refused");
        } catch (IOException e) {
            throw new NotFoundException("Get \"" + url + "\": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() >= 400) {
                String body = new String(in.readNBytes(512)).strip();
                throw new NotFoundException("failed to GET " + url + " with status " + resp.statusCode() + ": " + body);
            }
            Path f = Files.createTempFile(dir, "url-", ".download");
            MessageDigest md = dev.wharf.base.id.Digest.sha256();
            try (OutputStream out = Files.newOutputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            String digest = "sha256:" + HexFormat.of().formatHex(md.digest());
            if (expected != null && !expected.equals(digest)) {
                Files.deleteIfExists(f);
                throw new InvalidArgumentException("digest mismatch " + expected + ": " + digest);
            }
            long mtime = resp.headers().firstValue("Last-Modified").map(UrlFetch::httpDate).orElse(0L);
            return new Fetched(f, digest, nameOf(uri), mtime);
        }
    }

    private static long httpDate(String v) {
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return 0L;
        }
    }

    private static String hostPort(URI u) {
        int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
        return u.getHost() + ":" + port;
    }

    /** The last path element, as moby names a downloaded file. */
    static String nameOf(URI u) {
        String p = u.getPath() == null ? "" : u.getPath();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String n = p.substring(p.lastIndexOf('/') + 1);
        if (n.isEmpty()) {
            throw new InvalidArgumentException("cannot determine filename from url: " + u);
        }
        return n;
    }
}
