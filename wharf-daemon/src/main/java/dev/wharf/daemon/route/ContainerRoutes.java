package dev.wharf.daemon.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.JsonLines;
import dev.wharf.daemon.http.Hijack;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.container.ContainerFiles;
import dev.wharf.engine.container.AttachOptions;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.container.LogStreamer;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.WaitResponse;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Container routes.
 * <pre>
 *   POST   /containers/create?name=          create
 *   GET    /containers/json?all&limit&filters list
 *   GET    /containers/{id}/json              inspect
 *   POST   /containers/{id}/start             start (304 if running)
 *   POST   /containers/{id}/stop?t&signal     stop (304 if stopped)
 *   POST   /containers/{id}/restart?t&signal  restart
 *   POST   /containers/{id}/kill?signal       kill (409 if not running)
 *   POST   /containers/{id}/wait?condition    long poll; headers at once, body at the condition
 *   POST   /containers/{id}/attach?stream&logs&stdin&stdout&stderr&detachKeys   hijacked
 *   GET    /containers/{id}/attach/ws?(the same)                               websocket
 *   POST   /containers/{id}/resize?h&w        TTY size
 *   GET    /containers/{id}/logs?...          framed or raw stream
 *   DELETE /containers/{id}?force&v&link      remove; with link=1, the legacy link parent/alias
 * </pre>
 */
public final class ContainerRoutes {

    private static final String RAW = "application/vnd.docker.raw-stream";
    private static final String MUX = "application/vnd.docker.multiplexed-stream";

    private final ContainerService containers;
    private final ContainerFiles files;

    public ContainerRoutes(ContainerService containers, ContainerFiles files) {
        this.containers = containers;
        this.files = files;
    }

    public void register(Router r) {
        r.add("POST", "/containers/create", this::create);
        r.add("GET", "/containers/json", ex -> {
            var list = containers.list(ex.queryBool("all", false), limit(ex), Filters.parse(ex.query("filters")));
            ex.respondJson(200, ex.queryBool("size", false) ? files.withSizes(list) : list);
        });
        r.add("GET", "/containers/{id}/json", ex -> {
            var inspect = containers.inspect(ex.param("id"), false);
            if (!ex.version().atLeast(1, 45)) {
                addLegacyAliases(inspect);
            }
            if (ex.queryBool("size", false)) {
                ContainerFiles.Sizes z = files.sizes(inspect.id());
                inspect = inspect.withSizes(z.rw(), z.rootFs());
            }
            ex.respondJson(200, inspect);
        });
        r.add("POST", "/containers/{id}/start", ex -> {
            containers.start(ex.param("id"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/stop", ex -> {
            containers.stop(ex.param("id"), ex.queryInt("t"), ex.query("signal"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/restart", ex -> {
            containers.restart(ex.param("id"), ex.queryInt("t"), ex.query("signal"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/kill", ex -> {
            containers.kill(ex.param("id"), ex.query("signal"));
            ex.respondEmpty(204);
        });
        r.add("POST", "/containers/{id}/wait", this::waitFor);
        r.add("POST", "/containers/{id}/attach", this::attach);
        r.add("GET", "/containers/{id}/attach/ws", this::attachWebSocket);
        r.add("POST", "/containers/{id}/resize", ex -> {
            Integer h = ex.queryInt("h");
            Integer w = ex.queryInt("w");
            containers.resize(ex.param("id"), h == null ? 0 : h, w == null ? 0 : w);
            ex.respondEmpty(200);
        });
        r.add("GET", "/containers/{id}/logs", this::logs);
        r.add("DELETE", "/containers/{id*}", ex -> {
            if (ex.queryBool("link", false)) {
                containers.removeLink(ex.param("id")); // the legacy link parent/alias
            } else {
                containers.remove(ex.param("id"), ex.queryBool("force", false), ex.queryBool("v", false));
            }
            ex.respondEmpty(204);
        });
    }

    private void create(Exchange ex) {
        ObjectNode body = ex.bodyJson(ObjectNode.class);
        if (body == null) {
            throw new InvalidArgumentException("config cannot be empty in order to create a container");
        }
        JsonNode hc = body.remove("HostConfig");
        JsonNode nc = body.remove("NetworkingConfig");
        ContainerConfig cfg = ex.treeValue(body, ContainerConfig.class, "CreateRequest");
        HostConfig host = hc == null || hc.isNull() ? null : ex.treeValue(hc, HostConfig.class, "CreateRequest.HostConfig");
        @SuppressWarnings("unchecked")
        Map<String, Object> net = nc == null || nc.isNull() ? null
                : ex.treeValue(nc, Map.class, "CreateRequest.NetworkingConfig");
        net = macAddressToEndpoint(cfg, host, net);
        ex.respondJson(201, containers.create(ex.query("name"), new ContainerCreateRequest(cfg, host, net)));
    }

    /**
     * Below API 1.44 the MAC address is container-wide ({@code Config.MacAddress}, docker-py's
     * {@code mac_address=}); Docker moves it to the endpoint of the main network, as 1.44 sends it.
     * From 1.44 on the field is deprecated but still honoured the same way (docker-py 7 sends it so
     * at 1.44), unless the endpoint names a MAC address of its own.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> macAddressToEndpoint(ContainerConfig cfg, HostConfig host, Map<String, Object> net) {
        Object mac = cfg.other() == null ? null : cfg.other().get("MacAddress");
        String mode = host == null ? null : host.networkMode();
        if (!(mac instanceof String m) || m.isEmpty() || mode != null && (mode.equals("host") || mode.equals("none")
                || mode.startsWith("container:"))) {
            return net;
        }
        String main = mode == null || mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
        Map<String, Object> out = net == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(net);
        Map<String, Object> eps = out.get("EndpointsConfig") instanceof Map<?, ?> e
                ? new java.util.LinkedHashMap<>((Map<String, Object>) e) : new java.util.LinkedHashMap<>();
        Map<String, Object> ep = eps.get(main) instanceof Map<?, ?> x ? new java.util.LinkedHashMap<>((Map<String, Object>) x)
                : new java.util.LinkedHashMap<>();
        if (ep.get("MacAddress") == null || "".equals(ep.get("MacAddress"))) {
            ep.put("MacAddress", m);
        }
        eps.put(main, ep);
        out.put("EndpointsConfig", eps);
        return out;
    }

    private static int limit(Exchange ex) {
        Integer l = ex.queryInt("limit");
        return l == null ? -1 : l;
    }

    private void waitFor(Exchange ex) throws Exception {
        CompletableFuture<WaitResponse> f = containers.waitFor(ex.param("id"), ex.query("condition"));
        ex.onClientGone(() -> f.cancel(false));
        try (OutputStream out = ex.stream(200, "application/json")) {
            WaitResponse w;
            try {
                w = f.get();
            } catch (java.util.concurrent.CancellationException e) {
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                w = new WaitResponse(new WaitResponse.WaitError(String.valueOf(e.getCause().getMessage())), -1);
            }
            JsonLines.of(out).send(w);
        }
    }

    private void attach(Exchange ex) throws Exception {
        String id = containers.checkAttachable(ex.param("id"));
        boolean tty = containers.tty(id);
        var opts = new AttachOptions(ex.queryBool("stream", false), ex.queryBool("logs", false),
                ex.queryBool("stdin", false), ex.queryBool("stdout", false), ex.queryBool("stderr", false),
                ex.query("detachKeys"));
        String ct = !tty && ex.version().atLeast(1, 42) ? MUX : RAW;
        attachThrough(ex, id, opts, () -> ex.hijack(ct));
    }

    /** Runs an attach whose connection {@code upgrade} takes over once the session is registered. */
    private void attachThrough(Exchange ex, String id, AttachOptions opts, Supplier<Hijack> upgrade)
            throws Exception {
        Hijack[] hijack = new Hijack[1];
        try {
            containers.attach(id, opts, () -> {
                hijack[0] = upgrade.get();
                return new AttachOptions.Streams(hijack[0].in(), hijack[0].out(), ex::clientGone);
            });
        } finally {
            if (hijack[0] != null) {
                hijack[0].close();
            }
        }
    }

    /**
     * The websocket attach: the container's output as it wrote it (stdout and stderr never
     * multiplexed) in binary frames, text frames for clients before API 1.28; the client's frames
     * are its stdin. The connection closes when the container's output ends.
     */
    private void attachWebSocket(Exchange ex) throws Exception {
        String id = containers.checkAttachable(ex.param("id"));
        ex.requireWebSocketHandshake();
        var opts = new AttachOptions(ex.queryBool("stream", false), ex.queryBool("logs", false),
                ex.queryBool("stdin", false), ex.queryBool("stdout", false), ex.queryBool("stderr", false),
                ex.query("detachKeys"), true);
        boolean binary = ex.version().atLeast(1, 28);
        attachThrough(ex, id, opts, () -> ex.webSocket(binary));
    }

    private void logs(Exchange ex) throws Exception {
        boolean stdout = ex.queryBool("stdout", false);
        boolean stderr = ex.queryBool("stderr", false);
        if (!stdout && !stderr) {
            throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
        }
        String tailQ = ex.query("tail");
        int tail = -1;
        if (tailQ != null && !tailQ.isEmpty() && !tailQ.equals("all")) {
            try {
                tail = Integer.parseInt(tailQ);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("invalid value for \"tail\": " + tailQ);
            }
        }
        var since = Times.parseTimestamp(ex.query("since"));
        if (since != null && since.getEpochSecond() == 0 && since.getNano() == 0) {
            since = null;
        }
        var opts = new LogStreamer.Options(stdout, stderr, ex.queryBool("timestamps", false), since,
                Times.parseTimestamp(ex.query("until")), tail, ex.queryBool("follow", false));
        String id = containers.checkAttachable(ex.param("id"));
        containers.checkLogs(id);
        boolean tty = containers.tty(id);
        String ct = ex.version().atLeast(1, 42) ? (tty ? RAW : MUX) : RAW;
        java.util.concurrent.CompletableFuture<Void> gone = new java.util.concurrent.CompletableFuture<>();
        ex.onClientGone(() -> gone.complete(null));
        try (OutputStream out = ex.stream(200, ct)) {
            containers.logs(id, opts, out, gone);
        } catch (java.io.IOException clientGone) {
            // the client stopped reading
        }
    }

    /**
     * Below API 1.45 Docker lists, in the {@code Aliases} of each user-defined network, the
     * container's short ID and hostname too (they were aliases before {@code DNSNames} existed);
     * clients of that era read them there.
     */
    @SuppressWarnings("unchecked")
    static void addLegacyAliases(ContainerInspect inspect) {
        if (!(inspect.networkSettings().get("Networks") instanceof Map<?, ?> networks)) {
            return;
        }
        String shortId = inspect.id().substring(0, Math.min(12, inspect.id().length()));
        String hostname = inspect.config() == null ? null : inspect.config().hostname();
        for (var e : ((Map<String, Object>) networks).entrySet()) {
            String net = e.getKey();
            boolean userDefined = !List.of("bridge", "host", "none", "default").contains(net)
                    && !net.startsWith("container:");
            if (!userDefined || !(e.getValue() instanceof Map<?, ?> endpoint)) {
                continue;
            }
            var aliases = new LinkedHashSet<String>();
            if (endpoint.get("Aliases") instanceof List<?> l) {
                l.forEach(a -> aliases.add(String.valueOf(a)));
            }
            aliases.add(shortId);
            if (hostname != null && !hostname.isEmpty()) {
                aliases.add(hostname);
            }
            ((Map<String, Object>) endpoint).put("Aliases", List.copyOf(aliases));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
