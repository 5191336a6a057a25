package dev.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.transport.DaemonAddress;
import dev.wharf.client.transport.HijackedStream;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.client.transport.HttpTransport;
import dev.wharf.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Java SDK for the Wharf (Docker Engine) API. One group per resource:
 * {@code client.containers().stop(id, StopOptions)}. The API version is negotiated once, on the
 * first call, with {@code HEAD /_ping}; paths are then prefixed with {@code /v1.NN}.
 *
 * <p>Every call throws {@link ApiException} for a 4xx/5xx answer,
 * {@link DaemonUnreachableException} when the socket cannot be reached, and
 * {@link WharfClientException} for other transport failures.
 */
public final class WharfClient implements AutoCloseable {

    /** The newest API version this client speaks. */
    public static final String MAX_API_VERSION = "1.44";
    /** What a server that sends no Api-Version header is assumed to speak. */
    static final String FALLBACK_API_VERSION = "1.24";

    private final HttpTransport transport;
    private final String pinnedVersion;
    private volatile String apiVersion;
    private final SystemApi system = new SystemApi(this);
    private final ContainersApi containers = new ContainersApi(this);
    private final ImagesApi images = new ImagesApi(this);
    private final ExecApi exec = new ExecApi(this);

    private WharfClient(DaemonAddress address, String pinnedVersion) {
        this.transport = new HttpTransport(address);
        this.pinnedVersion = pinnedVersion;
    }

    /** A client for {@code unix:///path} or {@code tcp://host:port}. */
    public static WharfClient connect(String address) {
        return new WharfClient(DaemonAddress.parse(address), null);
    }

    /** A client that uses the given API version and skips negotiation. */
    public static WharfClient connect(String address, String apiVersion) {
        return new WharfClient(DaemonAddress.parse(address), apiVersion);
    }

    public String address() {
        return transport.address().text();
    }

    public SystemApi system() {
        return system;
    }

    public ContainersApi containers() {
        return containers;
    }

    public VolumesApi volumes() {
        return new VolumesApi(this);
    }

    public NetworksApi networks() {
        return new NetworksApi(this);
    }

    /** Pull, push and login through the daemon. */
    public DistributionApi distribution() {
        return new DistributionApi(this);
    }

    public ImagesApi images() {
        return images;
    }

    public ExecApi exec() {
        return exec;
    }

    public BuildApi builds() {
        return new BuildApi(this);
    }

    /** The negotiated API version, negotiating on first use. */
    public String apiVersion() {
        String v = apiVersion;
        if (v == null) {
            synchronized (this) {
                if (apiVersion == null) {
                    apiVersion = pinnedVersion != null ? pinnedVersion : negotiate();
                }
                v = apiVersion;
            }
        }
        return v;
    }

    private String negotiate() {
        SystemApi.PingResult ping = system.ping();
        return negotiated(ping.apiVersion());
    }

    /** min(MAX_API_VERSION, server's), or the fallback when the server names none. */
    public static String negotiated(String server) {
        if (server == null || server.isBlank()) {
            return FALLBACK_API_VERSION;
        }
        return compare(server.trim(), MAX_API_VERSION) < 0 ? server.trim() : MAX_API_VERSION;
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parseIntOr0(x[i]) : 0;
            int q = i < y.length ? parseIntOr0(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parseIntOr0(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- plumbing shared by the groups ----

    HttpTransport transport() {
        return transport;
    }

    String versioned(String pathAndQuery) {
        return "/v" + apiVersion() + pathAndQuery;
    }

    /** One exchange with the daemon over the transport. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** Runs {@code call}; no daemon at the address, or a broken exchange, become Docker's errors. */
    <T> T connected(IoCall<T> call) {
        try {
            return call.call();
        } catch (HttpTransport.ConnectFailure e) {
            throw new DaemonUnreachableException(address(), e.getCause());
        } catch (IOException e) {
            throw new WharfClientException("error during connect: " + e.getMessage(), e);
        }
    }

    /** Sends a request to the versioned path; a 4xx/5xx becomes an ApiException. */
    HttpResponse send(HttpRequest req) {
        HttpRequest r = req.withPath(versioned(req.pathAndQuery()));
        return check(connected(() -> transport.execute(r)));
    }

    /**
     * Sends a request to the versioned path with {@code Upgrade: tcp} and returns the raw pipe the
     * daemon upgrades it to; a 4xx/5xx becomes an ApiException.
     */
    HijackedStream hijack(HttpRequest req) {
        HttpRequest r = req.withPath(versioned(req.pathAndQuery()));
        HttpTransport.Hijack h = connected(() -> transport.hijack(r));
        if (h.failure() != null) {
            throw toException(h.failure());
        }
        return h.stream();
    }

    /** Sends a body-less request to the versioned path. */
    HttpResponse send(String method, Object pathAndQuery) {
        return send(HttpRequest.of(method, pathAndQuery.toString()));
    }

    HttpRequest jsonRequest(String method, Object pathAndQuery, Object body) {
        try {
            return HttpRequest.of(method, pathAndQuery.toString())
                    .withBody("application/json", Json.mapper().writeValueAsBytes(body));
        } catch (IOException e) {
            throw new WharfClientException("cannot encode request: " + e.getMessage(), e);
        }
    }

    /** The answer as plain maps and lists ({@link JsonTree}), without databind: for the hot calls. */
    Object readTree(HttpResponse resp) {
        try (resp) {
            return JsonTree.read(resp.body());
        } catch (IOException e) {
            throw new WharfClientException("cannot read the daemon's answer: " + e.getMessage(), e);
        }
    }

    <T> T readJson(HttpResponse resp, Class<T> type) {
        try (resp) {
            return Json.mapper().readValue(resp.body(), type);
        } catch (IOException e) {
            throw new WharfClientException("cannot read the daemon's answer: " + e.getMessage(), e);
        }
    }

    <T> T readJson(HttpResponse resp, TypeReference<T> type) {
        try (resp) {
            return Json.mapper().readValue(resp.body(), type);
        } catch (IOException e) {
            throw new WharfClientException("cannot read the daemon's answer: " + e.getMessage(), e);
        }
    }

    static void discard(HttpResponse resp) {
        try (resp) {
            resp.body().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
    }

    /** Turns a 4xx/5xx into an ApiException carrying the JSON body's message. */
    static HttpResponse check(HttpResponse resp) {
        if (resp.status() < 400) {
            return resp;
        }
        throw toException(resp);
    }

    static ApiException toException(HttpResponse resp) {
        String text;
        try {
            text = new String(resp.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            text = "";
        }
        return new ApiException(resp.status(), errorMessage(resp.status(), text));
    }

    static String errorMessage(int status, String body) {
        if (body.startsWith("{")) {
            try {
                Map<String, Object> n = JsonTree.object(JsonTree.read(
                        new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
                Object m = n == null ? null : n.get("message");
                if (m != null) {
                    return m.toString();
                }
            } catch (IOException e) {
                // not JSON after all: fall through to the text
            }
        }
        if (body.isEmpty()) {
            return "API error (" + status + ")";
        }
        return body;
    }

    @Override
    public void close() {
        // connections are per request; nothing is held open
    }
}
