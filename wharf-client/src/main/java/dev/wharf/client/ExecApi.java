package dev.wharf.client;

import dev.wharf.client.transport.HijackedStream;
import dev.wharf.client.transport.HttpRequest;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecCreateResponse;
import dev.wharf.model.exec.ExecInspect;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /containers/{id}/exec} and {@code /exec/...}: processes run in a running container. */
public final class ExecApi {

    private final WharfClient client;

    ExecApi(WharfClient client) {
        this.client = client;
    }

    public ExecCreateResponse create(String container, ExecCreateRequest req) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("User", req.user());
        body.put("Privileged", req.privileged());
        body.put("Tty", req.tty());
        body.put("ConsoleSize", req.consoleSize());
        body.put("AttachStdin", req.attachStdin());
        body.put("AttachStdout", req.attachStdout());
        body.put("AttachStderr", req.attachStderr());
        body.put("Detach", req.detach());
        body.put("DetachKeys", req.detachKeys());
        body.put("Env", req.env());
        body.put("WorkingDir", req.workingDir());
        body.put("Cmd", req.cmd());
        Map<String, Object> m = JsonTree.object(client.readTree(client.send(HttpRequest.of("POST",
                Query.path("/containers/%s/exec", container).toString()).withBody("application/json",
                JsonTree.write(body)))));
        if (m == null) {
            throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
        }
        return new ExecCreateResponse(JsonTree.string(m, "Id"));
    }

    private static byte[] startBody(boolean detach, boolean tty) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Detach", detach);
        body.put("Tty", tty);
        body.put("ConsoleSize", null);
        return JsonTree.write(body);
    }

    /** Starts without attaching: returns once the process runs. */
    public void startDetached(String id) {
        WharfClient.discard(client.send(HttpRequest.of("POST", Query.path("/exec/%s/start", id).toString())
                .withBody("application/json", startBody(true, false))));
    }

    /** Starts attached, with {@code Upgrade: tcp}: decode the output with {@link StreamDemux#copy}. */
    public HijackedStream start(String id, boolean tty) {
        return client.hijack(HttpRequest.of("POST", Query.path("/exec/%s/start", id).toString())
                .withBody("application/json", startBody(false, tty)));
    }

    public ExecInspect inspect(String id) {
        Map<String, Object> m = JsonTree.object(client.readTree(client.send("GET", Query.path("/exec/%s/json", id))));
        if (m == null) {
            throw new WharfClientException("cannot read the daemon's answer: not a JSON object");
        }
        Map<String, Object> pc = JsonTree.object(m.get("ProcessConfig"));
        ExecInspect.ProcessConfig processConfig = pc == null ? null : new ExecInspect.ProcessConfig(
                Boolean.TRUE.equals(pc.get("tty")), JsonTree.string(pc, "entrypoint"), JsonTree.strings(pc, "arguments"),
                Boolean.TRUE.equals(pc.get("privileged")), JsonTree.string(pc, "user"));
        Long exit = JsonTree.boxedNumber(m, "ExitCode");
        return new ExecInspect(JsonTree.string(m, "ID"), Boolean.TRUE.equals(m.get("Running")),
                exit == null ? null : exit.intValue(), processConfig, Boolean.TRUE.equals(m.get("OpenStdin")),
                Boolean.TRUE.equals(m.get("OpenStderr")), Boolean.TRUE.equals(m.get("OpenStdout")),
                Boolean.TRUE.equals(m.get("CanRemove")), JsonTree.string(m, "ContainerID"),
                JsonTree.string(m, "DetachKeys"), (int) JsonTree.number(m, "Pid"));
    }

    public void resize(String id, int height, int width) {
        WharfClient.discard(client.send("POST", Query.path("/exec/%s/resize", id).add("h", height).add("w", width)));
    }
}
