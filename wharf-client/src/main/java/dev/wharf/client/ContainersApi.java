package dev.wharf.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.client.transport.HijackedStream;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpResponse;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.CreateResponse;
import dev.wharf.model.container.WaitResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /containers/...}: the container lifecycle, listing, logs and attach. */
public final class ContainersApi {

    private final WharfClient client;

    ContainersApi(WharfClient client) {
        this.client = client;
    }

    /**
     * {@code POST /containers/create[?name=]}: the config fields at the top level of the body,
     * beside {@code HostConfig} and {@code NetworkingConfig}.
     */
    public CreateResponse create(String name, ContainerCreateRequest req) {
        Query q = Query.path("/containers/create").add("name", name == null || name.isEmpty() ? null : name);
        byte[] body = CreateBody.write(req);
        HttpRequest r = body != null ? HttpRequest.of("POST", q.toString()).withBody("application/json", body)
                : client.jsonRequest("POST", q, createBody(req));
        Map<String, Object> m = JsonTree.object(client.readTree(client.send(r)));
        if (m == null) {
            throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
        }
        return new CreateResponse(JsonTree.string(m, "Id"), JsonTree.strings(m, "Warnings"));
    }

    static ObjectNode createBody(ContainerCreateRequest req) {
        ObjectNode body = Json.mapper().valueToTree(req.config());
        body.set("HostConfig", Json.mapper().valueToTree(req.hostConfig()));
        if (req.networkingConfig() != null) {
            body.set("NetworkingConfig", Json.mapper().valueToTree(req.networkingConfig()));
        }
        dropNulls(body);
        return body;
    }

    private static void dropNulls(ObjectNode n) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                it.remove();
            } else if (e.getValue() instanceof ObjectNode o) {
                dropNulls(o);
            }
        }
    }

    /** Whether the call changed anything: false when the daemon said 304 (already so). */
    public record ChangeResult(boolean changed) {
    }

    public ChangeResult start(String id) {
        return change(client.send("POST", Query.path("/containers/%s/start", id)));
    }

    /** timeout in seconds (null: the container's default); signal (null: the container's StopSignal). */
    public record StopOptions(Integer timeout, String signal) {
        public static StopOptions defaults() {
            return new StopOptions(null, null);
        }
    }

    public ChangeResult stop(String id, StopOptions opts) {
        return change(client.send("POST", Query.path("/containers/%s/stop", id).add("t", opts.timeout())
                .add("signal", opts.signal())));
    }

    public ChangeResult restart(String id, StopOptions opts) {
        return change(client.send("POST", Query.path("/containers/%s/restart", id).add("t", opts.timeout())
                .add("signal", opts.signal())));
    }

    public record KillOptions(String signal) {
    }

    public ChangeResult kill(String id, KillOptions opts) {
        return change(client.send("POST", Query.path("/containers/%s/kill", id).add("signal", opts.signal())));
    }

    public record RemoveOptions(boolean force, boolean volumes) {
    }

    public ChangeResult remove(String id, RemoveOptions opts) {
        return change(client.send("DELETE", Query.path("/containers/%s", id).flag("force", opts.force())
                .flag("v", opts.volumes())));
    }

    private static ChangeResult change(HttpResponse resp) {
        int status = resp.status();
        WharfClient.discard(resp);
        return new ChangeResult(status != 304);
    }

    /** condition: {@code not-running} (null means the same), {@code next-exit} or {@code removed}. */
    public record WaitOptions(String condition) {
        public static WaitOptions notRunning() {
            return new WaitOptions(null);
        }
    }

    /** Blocks until the condition holds, then returns the exit status. */
    public WaitResponse wait(String id, WaitOptions opts) {
        return openWait(id, opts).await();
    }

    /**
     * Sends the wait request and returns once the daemon has answered with its headers (so a
     * missing container fails here). {@link PendingWait#await()} then blocks for the result.
     * {@code docker run} opens its wait this way before it starts the container.
     */
    public PendingWait openWait(String id, WaitOptions opts) {
        HttpResponse resp = client.send("POST", Query.path("/containers/%s/wait", id).add("condition",
                opts.condition()));
        return new PendingWait(client, resp);
    }

    /** A wait whose answer has not come yet. Close it to stop waiting. */
    public static final class PendingWait implements AutoCloseable {
        private final WharfClient client;
        private final HttpResponse resp;

        PendingWait(WharfClient client, HttpResponse resp) {
            this.client = client;
            this.resp = resp;
        }

        public WaitResponse await() {
            Map<String, Object> m = JsonTree.object(client.readTree(resp));
            if (m == null) {
                throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
            }
            Map<String, Object> error = JsonTree.object(m.get("Error"));
            return new WaitResponse(error == null ? null : new WaitResponse.WaitError(JsonTree.string(error, "Message")),
                    JsonTree.number(m, "StatusCode"));
        }

        @Override
        public void close() {
            try {
                resp.close();
            } catch (IOException e) {
                // closing a socket we no longer need
            }
        }
    }

    /** The few inspect fields a command needs before it streams (logs, start -a). */
    public record Brief(String id, boolean tty, boolean openStdin, boolean running) {
    }

    /** {@code GET /containers/{id}/json}, read without databind into {@link Brief}. */
    public Brief brief(String id) {
        Map<String, Object> m = JsonTree.object(client.readTree(client.send("GET", Query.path("/containers/%s/json", id))));
        if (m == null) {
            throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
        }
        Map<String, Object> config = JsonTree.object(m.get("Config"));
        Map<String, Object> state = JsonTree.object(m.get("State"));
        return new Brief(JsonTree.string(m, "Id"), config != null && Boolean.TRUE.equals(config.get("Tty")),
                config != null && Boolean.TRUE.equals(config.get("OpenStdin")),
                state != null && Boolean.TRUE.equals(state.get("Running")));
    }

    public ContainerInspect inspect(String id) {
        return client.readJson(client.send("GET", Query.path("/containers/%s/json", id)), ContainerInspect.class);
    }

    /** The inspect body exactly as the daemon sent it (for {@code wharf inspect}). */
    public byte[] inspectRaw(String id) {
        try {
            return client.send("GET", Query.path("/containers/%s/json", id)).readAllBytes();
        } catch (IOException e) {
            throw new WharfClientException(e.getMessage(), e);
        }
    }

    /** limit: -1 (or null) for no limit. */
    public record ListOptions(boolean all, Integer limit, boolean size, Map<String, Set<String>> filters) {
        public static ListOptions running() {
            return new ListOptions(false, null, false, Map.of());
        }
    }

    public List<ContainerSummary> list(ListOptions opts) {
        Query q = Query.path("/containers/json").flag("all", opts.all())
                .add("limit", opts.limit() != null && opts.limit() > 0 ? opts.limit() : null)
                .flag("size", opts.size()).filters(opts.filters());
        List<Object> all = JsonTree.list(client.readTree(client.send("GET", q)));
        List<ContainerSummary> out = new ArrayList<>(all == null ? 0 : all.size());
        for (Object o : all == null ? List.of() : all) {
            Map<String, Object> m = JsonTree.object(o);
            if (m != null) {
                out.add(summary(m));
            }
        }
        return out;
    }

    private static ContainerSummary summary(Map<String, Object> m) {
        return new ContainerSummary(JsonTree.string(m, "Id"), JsonTree.strings(m, "Names"),
                JsonTree.string(m, "Image"), JsonTree.string(m, "ImageID"), JsonTree.string(m, "Command"),
                JsonTree.number(m, "Created"), JsonTree.list(m.get("Ports")), JsonTree.boxedNumber(m, "SizeRw"),
                JsonTree.boxedNumber(m, "SizeRootFs"), JsonTree.stringMap(m, "Labels"), JsonTree.string(m, "State"),
                JsonTree.string(m, "Status"), JsonTree.object(m.get("HostConfig")),
                JsonTree.object(m.get("NetworkSettings")), JsonTree.list(m.get("Mounts")));
    }

    /**
     * tail: a number or {@code all} (null: all); since/until: unix seconds ({@code sec[.nanos]}).
     * tty: the container's {@code Config.Tty}, which decides raw versus framed when the daemon
     * sends no telling Content-Type.
     */
    public record LogsOptions(boolean follow, String tail, boolean timestamps, String since, String until,
            boolean stdout, boolean stderr, boolean tty) {
    }

    /** Streams the logs to the sink; returns when the daemon ends the stream. */
    public void logs(String id, LogsOptions opts, OutputSink sink) {
        Query q = Query.path("/containers/%s/logs", id).flag("stdout", opts.stdout()).flag("stderr", opts.stderr())
                .flag("follow", opts.follow()).add("tail", opts.tail()).flag("timestamps", opts.timestamps())
                .add("since", opts.since()).add("until", opts.until());
        HttpResponse resp = client.send("GET", q);
        try (resp) {
            StreamDemux.copy(resp.body(), isRaw(resp.header("Content-Type"), opts.tty()), sink);
        } catch (IOException e) {
            throw new WharfClientException("error reading logs: " + e.getMessage(), e);
        }
    }

    /** From 1.42 the Content-Type tells raw from multiplexed; before, the caller's TTY flag does. */
    static boolean isRaw(String contentType, boolean tty) {
        if (contentType != null) {
            if (contentType.contains("multiplexed-stream")) {
                return false;
            }
            if (contentType.contains("raw-stream") && tty) {
                return true;
            }
        }
        return tty;
    }

    public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean stream, boolean logs,
            String detachKeys) {
        public static AttachOptions streams(boolean stdin) {
            return new AttachOptions(stdin, true, true, true, false, null);
        }
    }

    /**
     * {@code POST /containers/{id}/attach} with {@code Upgrade: tcp}: a raw pipe to the container's
     * stdio. Decode the output with {@link StreamDemux#copy} (framed unless the container has a TTY).
     */
    public HijackedStream attach(String id, AttachOptions opts) {
        Query q = Query.path("/containers/%s/attach", id).flag("stderr", opts.stderr()).flag("stdin", opts.stdin())
                .flag("stdout", opts.stdout()).flag("stream", opts.stream()).flag("logs", opts.logs())
                .add("detachKeys", opts.detachKeys());
        return client.hijack(HttpRequest.of("POST", q.toString()).withHeader("Content-Type", "text/plain"));
    }

    public void pause(String id) {
        WharfClient.discard(client.send("POST", Query.path("/containers/%s/pause", id)));
    }

    public void unpause(String id) {
        WharfClient.discard(client.send("POST", Query.path("/containers/%s/unpause", id)));
    }

    public void rename(String id, String newName) {
        WharfClient.discard(client.send("POST", Query.path("/containers/%s/rename", id).add("name", newName)));
    }

    /** {@code GET /containers/{id}/top}: {@code Titles} and {@code Processes}. */
    public JsonNode top(String id, String psArgs) {
        return client.readJson(client.send("GET", Query.path("/containers/%s/top", id).add("ps_args", psArgs)),
                JsonNode.class);
    }

    /** {@code POST /containers/{id}/update} with a partial HostConfig body; returns the warnings. */
    public JsonNode update(String id, Map<String, Object> body) {
        return client.readJson(client.send(client.jsonRequest("POST", Query.path("/containers/%s/update", id), body)),
                JsonNode.class);
    }

    /** {@code GET /containers/{id}/stats?stream=0}: one sample, with the previous one a second before in precpu_stats. */
    public JsonNode stats(String id) {
        return client.readJson(client.send("GET", Query.path("/containers/%s/stats", id).add("stream", "0")),
                JsonNode.class);
    }

    public record ResizeOptions(int height, int width) {
    }

    public void resize(String id, ResizeOptions opts) {
        WharfClient.discard(client.send("POST", Query.path("/containers/%s/resize", id).add("h", opts.height())
                .add("w", opts.width())));
    }
}
