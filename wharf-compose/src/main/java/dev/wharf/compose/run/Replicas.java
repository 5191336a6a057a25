package dev.wharf.compose.run;

import dev.wharf.client.ApiException;
import dev.wharf.client.ContainersApi;
import dev.wharf.client.NetworksApi;
import dev.wharf.client.TransferApi;
import dev.wharf.client.WharfClient;
import dev.wharf.compose.model.FileObject;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** One container of a service: create, start, stop, remove, rename, wait for health, join the service's name. */
final class Replicas {

    /** What a replica came to while we waited for it. */
    enum Outcome { HEALTHY, RUNNING, UNHEALTHY, EXITED, GONE, TIMEOUT }

    private static final long POLL_MILLIS = 50;

    private final WharfClient client;
    private final Progress progress;

    Replicas(WharfClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    WharfClient client() {
        return client;
    }

    static String res(String name) {
        return "Container " + name;
    }

    /** Creates a replica and copies in its inline secrets and configs; returns its ID. */
    String create(Project p, Service s, int number, String hash, String imageId, boolean serviceAlias, String name) {
        progress.status(res(name), "Creating");
        ContainerCreateRequest body = CreateBody.of(p, s, number, hash, imageId, serviceAlias);
        String id;
        try {
            id = client.containers().create(name, body).id();
        } catch (ApiException e) {
            progress.status(res(name), "Error");
            throw new ComposeException("Error response from daemon: " + e.getMessage(), e);
        }
        copyInline(p, s, id);
        progress.status(res(name), "Created");
        return id;
    }

    private void copyInline(Project p, Service s, String id) {
        for (Service.FileMount f : s.secrets()) {
            copyInline(p, p.secrets().get(f.source()), f, id);
        }
        for (Service.FileMount f : s.configs()) {
            copyInline(p, p.configs().get(f.source()), f, id);
        }
    }

    private void copyInline(Project p, FileObject o, Service.FileMount f, String id) {
        if (o == null || o.file() != null) {
            return;
        }
        String value = o.text() == null ? "" : o.text();
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            TarArchiveEntry e = new TarArchiveEntry(f.target().substring(1));
            e.setSize(data.length);
            e.setMode(0100000 | (f.mode() == null ? 0444 : f.mode()));
            if (f.uid() != null) {
                e.setUserId(Integer.parseInt(f.uid()));
            }
            if (f.gid() != null) {
                e.setGroupId(Integer.parseInt(f.gid()));
            }
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
            tar.finish();
        } catch (IOException e) {
            throw new ComposeException("cannot write " + f.target() + ": " + e.getMessage(), e);
        }
        TransferApi.of(client).extract(id, "/", new ByteArrayInputStream(buf.toByteArray()), false, true);
    }

    void start(String id, String name) {
        progress.status(res(name), "Starting");
        try {
            client.containers().start(id);
        } catch (ApiException e) {
            progress.status(res(name), "Error");
            throw new ComposeException("Error response from daemon: " + e.getMessage(), e);
        }
        progress.status(res(name), "Started");
    }

    void stop(String id, String name, Integer timeout) {
        progress.status(res(name), "Stopping");
        try {
            client.containers().stop(id, new ContainersApi.StopOptions(timeout, null));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw new ComposeException("Error response from daemon: " + e.getMessage(), e);
            }
        }
        progress.status(res(name), "Stopped");
    }

    void remove(String id, String name, boolean volumes) {
        progress.status(res(name), "Removing");
        try {
            client.containers().remove(id, new ContainersApi.RemoveOptions(true, volumes));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw new ComposeException("Error response from daemon: " + e.getMessage(), e);
            }
        }
        progress.status(res(name), "Removed");
    }

    void rename(String id, String newName) {
        client.containers().rename(id, newName);
    }

    static Integer stopTimeout(Service s) {
        return s.stopGracePeriod() == null ? null : (int) Math.max(0, s.stopGracePeriod().toSeconds());
    }

    /**
     * Makes a replica created without the service's DNS names answer to them: its endpoints are
     * disconnected and connected again with every alias. Used once the replica is healthy.
     */
    void joinService(Project p, Service s, String id, String name) {
        s.networks().forEach((key, n) -> {
            String net = p.networkName(key);
            @SuppressWarnings("unchecked")
            List<String> aliases = (List<String>) CreateBody.endpoint(s, name, n, true).get("Aliases");
            NetworksApi.IpamConfig ipam = n.ipv4Address() == null && n.ipv6Address() == null ? null
                    : new NetworksApi.IpamConfig(n.ipv4Address(), n.ipv6Address());
            client.networks().disconnect(net, id, true);
            client.networks().connect(net, id, new NetworksApi.EndpointConfig(aliases, ipam));
        });
    }

    ContainerInspect inspect(String id) {
        return client.containers().inspect(id);
    }

    /** The health status, or null when the container has no healthcheck. */
    static String health(ContainerInspect c) {
        return c.state() == null || c.state().health() == null ? null : c.state().health().status();
    }

    /**
     * Waits until the replica is healthy (or, without a healthcheck, running), or turns out
     * unhealthy, exits, or the deadline passes. {@code requireHealth} false returns at running.
     */
    Outcome awaitReady(String id, boolean requireHealth, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerInspect c;
            try {
                c = inspect(id);
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return Outcome.GONE;
                }
                throw e;
            }
            String state = c.state() == null ? "" : c.state().status();
            String health = health(c);
            if ("exited".equals(state) || "dead".equals(state)) {
                return Outcome.EXITED;
            }
            if ("running".equals(state)) {
                if (!requireHealth || health == null) {
                    return Outcome.RUNNING;
                }
                if (health.equals("healthy")) {
                    return Outcome.HEALTHY;
                }
                if (health.equals("unhealthy")) {
                    return Outcome.UNHEALTHY;
                }
            }
            if (System.nanoTime() > deadline) {
                return Outcome.TIMEOUT;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits for the container to exit; returns its exit code. */
    int awaitExit(String id) {
        return (int) client.containers().wait(id, ContainersApi.WaitOptions.notRunning()).statusCode();
    }

    /** How long a healthcheck may take to decide: start period plus (retries+1) probes, and a margin. */
    static Duration healthBudget(Service s) {
        Service.Healthcheck h = s.healthcheck();
        if (h == null) {
            return Duration.ofSeconds(60);
        }
        Duration interval = h.interval() == null || h.interval().isZero() ? Duration.ofSeconds(30) : h.interval();
        Duration to = h.timeout() == null || h.timeout().isZero() ? Duration.ofSeconds(30) : h.timeout();
        int retries = h.retries() == null || h.retries() == 0 ? 3 : h.retries();
        Duration start = h.startPeriod() == null ? Duration.ZERO : h.startPeriod();
        return start.plus(interval.plus(to).multipliedBy(retries + 1)).plusSeconds(30);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComposeException("interrupted");
        }
    }
}
