package dev.wharf.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a registry's {@code WWW-Authenticate} challenges into {@code Authorization} headers:
 * Basic from a username and password, or a Bearer token fetched from the challenge's realm for
 * the scopes a request needs ({@code repository:NAME:pull,push}), reused until it expires. The
 * challenge of each registry host is remembered, so later requests carry the header from the
 * start. Secrets are never logged.
 */
public final class Authorizer {

    private static final Logger log = LoggerFactory.getLogger(Authorizer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIN_TOKEN_LIFE = Duration.ofSeconds(60);
    private static final Duration EARLY = Duration.ofSeconds(5);

    private final Function<URI, HttpClient> clients;
    private final Clock clock;
    private final Map<String, List<Challenge>> challenges = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    /** A bearer token, and the refresh token a login with {@code offline_token} may give. */
    public record Token(String token, Instant expires, String refreshToken) {
        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }

    /** {@code clients} gives the HTTP client for a token realm's URI (its TLS settings). */
    public Authorizer(Function<URI, HttpClient> clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** Records the challenges of a 401 from {@code host}. */
    public void challenged(String host, List<Challenge> c) {
        if (!c.isEmpty()) {
            challenges.put(host, List.copyOf(c));
        }
    }

    /** The challenge {@code host} answered with last, if any. */
    public Optional<Challenge> challenge(String host) {
        List<Challenge> c = challenges.get(host);
        if (c == null) {
            return Optional.empty();
        }
        return c.stream().filter(x -> x.scheme().equals("bearer")).findFirst()
                .or(() -> c.stream().filter(x -> x.scheme().equals("basic")).findFirst());
    }

    /**
     * The {@code Authorization} header for a request to {@code host} needing {@code scopes}, or
     * empty when the registry has not asked for any (or asks for a scheme Wharf does not speak).
     */
    public Optional<String> authorization(String host, List<String> scopes, Credentials creds)
            throws IOException, AuthException {
        if (creds != null && !Credentials.blank(creds.registryToken())) {
            return Optional.of("Bearer " + creds.registryToken());
        }
        Optional<Challenge> ch = challenge(host);
        if (ch.isEmpty()) {
            return Optional.empty();
        }
        Challenge c = ch.get();
        if (c.scheme().equals("basic")) {
            if (creds == null || !creds.hasPassword()) {
                throw new AuthException("no basic auth credentials");
            }
            return Optional.of(basic(creds.username(), creds.password()));
        }
        return Optional.of("Bearer " + token(c, scopes, creds, false).token());
    }

    /** A token for {@code scopes} from the realm of {@code c}: cached, or fetched. */
    public Token token(Challenge c, List<String> scopes, Credentials creds, boolean offline)
            throws IOException, AuthException {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new AuthException("the registry's bearer challenge names no realm");
        }
        String service = c.param("service");
        String key = realm + "|" + service + "|" + String.join(" ", scopes) + "|"
                + (creds == null ? "" : creds.cacheKey());
        Token t = tokens.get(key);
        if (!offline && t != null && clock.instant().isBefore(t.expires().minus(EARLY))) {
            return t;
        }
        t = fetch(realm, service, scopes, creds, offline);
        tokens.put(key, t);
        return t;
    }

    private Token fetch(String realm, String service, List<String> scopes, Credentials creds, boolean offline)
            throws IOException, AuthException {
        StringBuilder q = new StringBuilder();
        if (service != null) {
            param(q, "service", service);
        }
        for (String s : scopes) {
            param(q, "scope", s);
        }
        HttpRequest.Builder b;
        boolean refresh = creds != null && !Credentials.blank(creds.identityToken());
        if (refresh) {
            StringBuilder form = new StringBuilder(q);
            param(form, "grant_type", "refresh_token");
            param(form, "refresh_token", creds.identityToken());
            param(form, "client_id", "docker");
            b = HttpRequest.newBuilder(URI.create(realm)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        } else {
            if (creds != null && creds.hasPassword()) {
                param(q, "account", creds.username());
                b = HttpRequest.newBuilder(uri(realm, q)).header("Authorization",
                        basic(creds.username(), creds.password()));
            } else {
                b = HttpRequest.newBuilder(uri(realm, q));
            }
            if (offline) {
                StringBuilder more = new StringBuilder(q);
                param(more, "offline_token", "true");
                param(more, "client_id", "docker");
                b.uri(uri(realm, more));
            }
            b.GET();
        }
        URI target = URI.create(realm);
        HttpResponse<byte[]> r;
        try {
            r = clients.apply(target).send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching a token from " + target.getHost(), e);
        }
        log.debug("token from {} for {}: {}", target.getHost(), scopes, r.statusCode());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new AuthException(reason(r.body(), "unauthorized: authentication required"));
        }
        if (r.statusCode() != 200) {
            throw new IOException("token server " + target.getHost() + " answered " + r.statusCode() + ": "
                    + reason(r.body(), ""));
        }
        JsonNode j = JSON.readTree(r.body());
        String token = j.path("token").asText(j.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new IOException("the token server " + target.getHost() + " sent no token");
        }
        long life = Math.max(j.path("expires_in").asLong(0), MIN_TOKEN_LIFE.toSeconds());
        Instant issued = clock.instant();
        if (j.hasNonNull("issued_at")) {
            try {
                issued = Instant.parse(j.get("issued_at").asText());
            } catch (java.time.format.DateTimeParseException ignored) {
                // keep our own clock
            }
        }
        String refreshToken = j.path("refresh_token").asText(null);
        return new Token(token, issued.plusSeconds(life), refreshToken);
    }

    /** The registry's own words from an error body ({@code errors[0]} or {@code details}), or {@code fallback}. */
    static String reason(byte[] body, String fallback) {
        try {
            JsonNode j = JSON.readTree(body);
            JsonNode e = j.path("errors").path(0);
            if (e.has("code")) {
                return e.path("code").asText().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                        + e.path("message").asText("");
            }
            if (j.hasNonNull("details")) {
                return j.get("details").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON
        }
        return fallback;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static URI uri(String realm, CharSequence q) {
        return URI.create(realm + (q.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + q));
    }

    private static void param(StringBuilder q, String k, String v) {
        if (!q.isEmpty()) {
            q.append('&');
        }
        q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }
}
