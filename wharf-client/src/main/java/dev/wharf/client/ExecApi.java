package dev.wharf.client;

import dev.wharf.client.transport.HijackedStream;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.client.transport.HttpTransport;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecCreateResponse;
import dev.wharf.model.exec.ExecInspect;
import dev.wharf.model.exec.ExecStartRequest;
import java.io.IOException;

/** {@code /containers/{id}/exec} and {@code /exec/...}: processes run in a running container. */
public final class ExecApi {

    private final WharfClient client;

    ExecApi(WharfClient client) {
        this.client = client;
    }

    public ExecCreateResponse create(String container, ExecCreateRequest req) {
        return client.readJson(client.send(client.jsonRequest("POST", Query.path("/containers/%s/exec", container),
                req)), ExecCreateResponse.class);
    }

    /** Starts without attaching: returns once the process runs. */
    public void startDetached(String id) {
        WharfClient.discard(client.send(client.jsonRequest("POST", Query.path("/exec/%s/start", id),
                new ExecStartRequest(true, false, null))));
    }

    /** Starts attached, with {@code Upgrade: tcp}: decode the output with {@link StreamDemux#copy}. */
    public HijackedStream start(String id, boolean tty) {
        HttpRequest req = client.jsonRequest("POST", client.versioned(Query.path("/exec/%s/start", id).toString()),
                new ExecStartRequest(false, tty, null));
        HttpTransport.Hijack h;
        try {
            h = client.transport().hijack(req);
        } catch (HttpTransport.ConnectFailure e) {
            throw new DaemonUnreachableException(client.address(), e.getCause());
        } catch (IOException e) {
            throw new WharfClientException("error during connect: " + e.getMessage(), e);
        }
        if (h.failure() != null) {
            throw WharfClient.toException(h.failure());
        }
        return h.stream();
    }

    public ExecInspect inspect(String id) {
        return client.readJson(client.send("GET", Query.path("/exec/%s/json", id)), ExecInspect.class);
    }

    public void resize(String id, int height, int width) {
        WharfClient.discard(client.send("POST", Query.path("/exec/%s/resize", id).add("h", height).add("w", width)));
    }
}
