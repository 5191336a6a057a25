package dev.wharf.daemon.route;

import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Hijack;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.exec.ExecService;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.model.exec.ExecStartRequest;

/**
 * Exec routes.
 * <pre>
 *   POST /containers/{id}/exec     create (409 if the container is not running or paused)
 *   POST /exec/{id}/start          hijacked stream until the process ends; Detach: 200 at once
 *   POST /exec/{id}/resize?h&w     TTY size (ignored once the process ended)
 *   GET  /exec/{id}/json           inspect; ExitCode is set before the stream closes
 * </pre>
 */
public final class ExecRoutes {

    private static final String RAW = "application/vnd.docker.raw-stream";
    private static final String MUX = "application/vnd.docker.multiplexed-stream";

    private final ExecService execs;

    public ExecRoutes(ExecService execs) {
        this.execs = execs;
    }

    public void register(Router r) {
        r.add("POST", "/containers/{id}/exec", ex -> ex.respondJson(201,
                execs.create(ex.param("id"), ex.bodyJson(ExecCreateRequest.class))));
        r.add("POST", "/exec/{id}/start", this::start);
        r.add("POST", "/exec/{id}/resize", ex -> {
            Integer h = ex.queryInt("h");
            Integer w = ex.queryInt("w");
            execs.resize(ex.param("id"), h == null ? 0 : h, w == null ? 0 : w);
            ex.respondEmpty(200);
        });
        r.add("GET", "/exec/{id}/json", ex -> ex.respondJson(200, execs.inspect(ex.param("id"))));
    }

    private void start(Exchange ex) throws Exception {
        ExecStartRequest body = ex.bodyJson(ExecStartRequest.class);
        String id = ex.param("id");
        execs.checkStart(id);
        if (body != null && body.detach()) {
            execs.start(id, body.consoleSize(), null, null);
            ex.respondEmpty(200);
            return;
        }
        // As Docker: the start body's Tty (false when absent) decides the framing, not the create's.
        boolean raw = body != null && body.tty();
        String ct = !raw && ex.version().atLeast(1, 42) && ex.header("Upgrade") != null ? MUX : RAW;
        try (Hijack h = ex.hijack(ct)) {
            ex.onClientGone(() -> execs.clientLeft(id));
            execs.start(id, body == null ? null : body.consoleSize(), h.in(), h.out(), raw);
        }
    }
}
