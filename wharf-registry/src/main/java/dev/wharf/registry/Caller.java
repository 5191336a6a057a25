package dev.wharf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.registry.RegistryException.Kind;
import dev.wharf.registry.auth.AuthException;
import dev.wharf.registry.auth.Authorizer;
import dev.wharf.registry.auth.Challenge;
import dev.wharf.registry.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every registry request: picks the scheme (falling back to plain HTTP for an insecure
 * host that does not speak TLS), adds the {@code Authorization} header, answers a 401 challenge
 * once, retries idempotent requests that failed to connect, and turns registry error bodies and
 * transport failures into {@link RegistryException}s.
 */
final class Caller {

    private static final Logger log = LoggerFactory.getLogger(Caller.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final Hosts hosts;
    private final Authorizer auth;

    Caller(Hosts hosts, Authorizer auth) {
        this.hosts = hosts;
        this.auth = auth;
    }

    Hosts hosts() {
        return hosts;
    }

    Authorizer authorizer() {
        return auth;
    }

    /** One request. {@code path} is relative to the host ({@code /v2/…}) or an absolute URL. */
    record Call(String method, String host, String path, Map<String, String> headers,
            Supplier<HttpRequest.BodyPublisher> body, boolean replayable, List<String> scopes, Set<Integer> accept) {
    }

    /** Sends and returns the response with an unread body; a status outside 2xx/3xx and {@code accept} throws. */
    HttpResponse<InputStream> send(Call c, Credentials creds) {
        IOException last = null;
        boolean challenged = false;
        boolean plain = false;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            URI uri = plain ? plain(uri(c)) : uri(c);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
            c.headers().forEach(b::header);
            try {
                auth.authorization(c.host(), c.scopes(), creds).ifPresent(h -> b.header("Authorization", h));
            } catch (AuthException e) {
                throw new RegistryException(Kind.UNAUTHORIZED, 401, verb(c) + " \"" + uri + "\": " + e.getMessage(), e);
            } catch (IOException e) {
                throw transport(c, uri, e);
            }
            b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : c.body().get());
            HttpResponse<InputStream> r;
            try {
                r = hosts.client(c.host()).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(Kind.UNREACHABLE, -1, verb(c) + " \"" + uri + "\": interrupted", e);
            } catch (IOException e) {
                if (isNotTls(e) && "https".equals(uri.getScheme()) && hosts.insecure(c.host())) {
                    log.debug("{} does not speak TLS; using plain HTTP", c.host());
                    hosts.useHttp(c.host());
                    attempt--;
                    continue;
                }
                if (!plain && e instanceof ConnectException && "https".equals(uri.getScheme()) && !absolute(c)
                        && c.replayable() && hosts.insecure(c.host())) {
                    // Docker tries an insecure registry's plain-HTTP endpoint after its HTTPS one, and
                    // names that one when both fail (a body that cannot be sent again is not retried)
                    plain = true;
                    attempt--;
                    continue;
                }
                last = e;
                if (!c.replayable() || e instanceof SSLException || attempt == ATTEMPTS - 1
                        || e instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                    throw transport(c, uri, e);
                }
                continue;
            }
            if (plain) {
                hosts.useHttp(c.host()); // HTTPS was refused and plain HTTP answered
            }
            int s = r.statusCode();
            log.debug("{} {} -> {}", c.method(), uri.getPath(), s);
            if (s == 401 && !challenged && c.replayable()) {
                List<Challenge> ch = Challenge.parse(r.headers().allValues("WWW-Authenticate"));
                drain(r);
                if (!ch.isEmpty()) {
                    auth.challenged(c.host(), ch);
                    challenged = true;
                    attempt--;
                    continue;
                }
                throw error(c, uri, s, new byte[0]);
            }
            if (s < 400 || c.accept().contains(s)) {
                return r;
            }
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw error(c, uri, s, body);
        }
        throw transport(c, uri(c), last == null ? new IOException("no answer") : last);
    }

    /** Sends and reads the whole (small) body. */
    byte[] sendForBytes(Call c, Credentials creds, int max) {
        HttpResponse<InputStream> r = send(c, creds);
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new RegistryException(Kind.PROTOCOL, r.statusCode(), "the registry's answer to " + verb(c)
                        + " " + c.path() + " is larger than " + max + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw transport(c, uri(c), e);
        }
    }

    URI uri(Call c) {
        if (absolute(c)) {
            return URI.create(c.path());
        }
        return URI.create(hosts.base(c.host()) + c.path());
    }

    private static boolean absolute(Call c) {
        return c.path().startsWith("http://") || c.path().startsWith("https://");
    }

    private static URI plain(URI https) {
        return URI.create("http" + https.toString().substring("https".length()));
    }

    static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.skip(1 << 20);
        } catch (IOException ignored) {
            // the connection is dropped instead
        }
    }

    private static boolean isNotTls(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof SSLException && (m.contains("unrecognized ssl message") || m.contains("plaintext")
                    || m.contains("unsupported or unrecognized"))) {
                return true;
            }
        }
        return false;
    }

    private static String verb(Call c) {
        String m = c.method();
        return m.charAt(0) + m.substring(1).toLowerCase(Locale.ROOT);
    }

    /** A failure to talk to the registry at all, in Go's wording where the CLI users know it. */
    RegistryException transport(Call c, URI uri, IOException e) {
        String where = verb(c) + " \"" + uri + "\"";
        String hp = uri.getHost() + ":" + (uri.getPort() < 0 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort());
        if (e instanceof SSLHandshakeException || e instanceof SSLException || e.getCause() instanceof SSLException) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.toString() : root.getMessage();
            if (why.contains("PKIX") || why.contains("unable to find valid certification path")
                    || why.contains("signature check failed")) {
                why = "failed to verify certificate: x509: certificate signed by unknown authority";
            }
            return new RegistryException(Kind.TLS, -1, where + ": tls: " + why, e);
        }
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new RegistryException(Kind.UNREACHABLE, -1, where + ": dial tcp " + hp + ": connect: "
                    + (e instanceof HttpConnectTimeoutException ? "connection timed out" : "connection refused"), e);
        }
        if (e.getCause() instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            return new RegistryException(Kind.UNREACHABLE, -1, where + ": dial tcp: lookup " + uri.getHost()
                    + ": no such host", e);
        }
        return new RegistryException(Kind.UNREACHABLE, -1, where + ": " + (e.getMessage() == null ? e.toString()
                : e.getMessage()), e);
    }

    /** A registry's error answer: its {@code errors[0]} code and message, as Go's errcode prints them. */
    static RegistryException error(Call c, URI uri, int status, byte[] body) {
        String code = "";
        String text = "";
        try {
            JsonNode j = JSON.readTree(body);
            JsonNode e = j == null ? null : j.path("errors").path(0);
            if (e != null && e.has("code")) {
                code = e.path("code").asText();
                text = code.toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.path("message").asText("");
            }
        } catch (IOException | RuntimeException ignored) {
            // not a registry error body
        }
        Kind kind = switch (code) {
            case "MANIFEST_UNKNOWN" -> Kind.MANIFEST_UNKNOWN;
            case "NAME_UNKNOWN" -> Kind.NAME_UNKNOWN;
            case "BLOB_UNKNOWN" -> Kind.BLOB_UNKNOWN;
            case "DENIED" -> Kind.DENIED;
            case "UNAUTHORIZED" -> Kind.UNAUTHORIZED;
            case "DIGEST_INVALID" -> Kind.DIGEST_MISMATCH;
            case "UNSUPPORTED", "MANIFEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "NAME_INVALID",
                    "TAG_INVALID" -> Kind.UNSUPPORTED;
            default -> switch (status) {
                case 401 -> Kind.UNAUTHORIZED;
                case 403 -> Kind.DENIED;
                case 404 -> Kind.NAME_UNKNOWN;
                default -> Kind.PROTOCOL;
            };
        };
        if (text.isEmpty()) {
            text = switch (status) {
                case 401 -> "unauthorized: authentication required";
                case 403 -> "denied: requested access to the resource is denied";
                case 404 -> "not found";
                default -> "unexpected status from " + c.method() + " request to " + uri + ": " + status;
            };
        }
        return new RegistryException(kind, status, text);
    }
}
