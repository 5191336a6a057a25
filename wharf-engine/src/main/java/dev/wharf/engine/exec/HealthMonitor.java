package dev.wharf.engine.exec;

import dev.wharf.base.id.ContainerId;
import dev.wharf.base.id.HexId;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.container.ExecTarget;
import dev.wharf.engine.container.Healthcheck;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.Health;
import dev.wharf.model.event.EventMessage;
import dev.wharf.model.exec.ExecCreateRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each running container's HEALTHCHECK as an exec, as moby's health monitor does: the first
 * probe one interval after start (the start interval while in the start period), a failure in
 * the start period not counted until a probe has passed, {@code Retries} failures in a row make
 * it unhealthy, a probe over its timeout is killed and fails with exit -1. The last five results
 * are kept in {@code State.Health.Log}; each change of status is a {@code health_status} event.
 * It follows the event stream: {@code start} begins the probes, {@code die} and {@code destroy}
 * end them. The health is persisted with the container after every probe; a restarted daemon
 * resumes the probes of running containers from the status, streak and log they had.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("wharf.health");
    private static final long DEFAULT_INTERVAL = TimeUnit.SECONDS.toNanos(30);
    private static final long DEFAULT_TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long DEFAULT_START_INTERVAL = TimeUnit.SECONDS.toNanos(5);
    private static final int DEFAULT_RETRIES = 3;
    private static final int MAX_LOG = 5;
    private static final int MAX_OUTPUT = 4096;

    private final ContainerService containers;
    private final ExecService execs;
    private final EventService events;
    private final Map<ContainerId, Thread> probes = new ConcurrentHashMap<>();
    private final EventService.Subscription sub;
    private final Thread follower;
    private volatile boolean closed;

    public HealthMonitor(ContainerService containers, ExecService execs, EventService events) {
        this.containers = containers;
        this.execs = execs;
        this.events = events;
        this.sub = events.subscribe();
        for (ContainerSummary s : containers.list(false, 0, Filters.NONE)) {
            ContainerId id = new ContainerId(s.id());
            begin(id, containers.startedAt(id), containers.health(id));
        }
        this.follower = Thread.ofVirtual().name("health-events").start(this::follow);
    }

    private void follow() {
        while (!closed) {
            EventMessage e;
            try {
                e = sub.next(60_000); // close() interrupts; no need to wake up otherwise
            } catch (InterruptedException ex) {
                return;
            }
            if (e == null || !"container".equals(e.type())) {
                continue;
            }
            if (!HexId.isFull(e.actor().id())) {
                continue;
            }
            ContainerId id = new ContainerId(e.actor().id());
            switch (e.action()) {
                case "start" -> begin(id, Instant.ofEpochSecond(0, e.timeNano()), null);
                case "die", "destroy" -> end(id);
                default -> {
                    // other actions do not change the probes
                }
            }
        }
    }

    /**
     * Starts the probes of a container; {@code resumed} is the health it had before a daemon
     * restart (null for a fresh start, which begins at {@code starting}).
     */
    private void begin(ContainerId id, Instant startedAt, Health resumed) {
        ExecTarget t;
        try {
            t = containers.execTarget(id.value());
        } catch (RuntimeException e) {
            return;
        }
        Healthcheck hc = Healthcheck.of(t.config());
        if (hc == null) {
            containers.setHealth(id, null);
            return;
        }
        end(id);
        Health health = resumed != null && resumed.status() != null ? resumed : Health.starting();
        containers.setHealth(id, health);
        Thread th = Thread.ofVirtual().name("health-" + id.shortId())
                .unstarted(() -> loop(id, hc, startedAt, health));
        probes.put(id, th);
        th.start();
    }

    private void end(ContainerId id) {
        Thread th = probes.remove(id);
        if (th != null) {
            th.interrupt();
        }
    }

    /** The first early probe's delay after start; each next one waits twice as long. */
    private static final long EARLY_FIRST = TimeUnit.MILLISECONDS.toNanos(100);

    private void loop(ContainerId id, Healthcheck hc, Instant startedAt, Health from) {
        long interval = orDefault(hc.interval(), DEFAULT_INTERVAL);
        long timeout = orDefault(hc.timeout(), DEFAULT_TIMEOUT);
        long startPeriod = hc.startPeriod();
        long startInterval = orDefault(hc.startInterval(), DEFAULT_START_INTERVAL);
        int retries = hc.retries() > 0 ? hc.retries() : DEFAULT_RETRIES;
        List<String> cmd = hc.command();
        String status = from.status();
        int streak = from.failingStreak();
        List<Health.Probe> log = new ArrayList<>(from.log());
        long early = EARLY_FIRST;
        Instant firstRegular = Instant.now().plusNanos(interval);
        try {
            while (probes.get(id) == Thread.currentThread()) {
                boolean inStart = status.equals(Health.STARTING)
                        && Instant.now().isBefore(startedAt.plusNanos(startPeriod));
                long wait = inStart && startPeriod > 0 ? startInterval : interval;
                // Before the first probe Docker would make, probe sooner and sooner apart: a service
                // that is ready is healthy at once (compose's service_healthy, --wait), and a failure
                // there counts for nothing, as Docker would not have probed yet.
                boolean earlyProbe = status.equals(Health.STARTING) && streak == 0
                        && Instant.now().plusNanos(early).isBefore(firstRegular) && early < wait;
                TimeUnit.NANOSECONDS.sleep(earlyProbe ? early : wait);
                if (earlyProbe) {
                    early *= 2;
                }
                ExecTarget t = containers.execTarget(id.value());
                if (!t.running()) {
                    return;
                }
                if (t.paused()) {
                    continue;
                }
                Instant start = Instant.now();
                Result r = probe(id, cmd, timeout);
                Instant finish = Instant.now();
                if (earlyProbe && r.exitCode() != 0) {
                    continue; // not a probe Docker would have made: neither counted nor logged
                }
                log.add(new Health.Probe(Times.rfc3339(start), Times.rfc3339(finish), r.exitCode(), r.output()));
                while (log.size() > MAX_LOG) {
                    log.removeFirst();
                }
                String before = status;
                if (r.exitCode() == 0) {
                    streak = 0;
                    status = Health.HEALTHY;
                } else if (!(status.equals(Health.STARTING) && start.isBefore(startedAt.plusNanos(startPeriod)))) {
                    streak++;
                    if (streak >= retries) {
                        status = Health.UNHEALTHY;
                    }
                }
                if (probes.get(id) != Thread.currentThread()) {
                    return;
                }
                containers.setHealth(id, new Health(status, streak, log));
                if (!status.equals(before)) {
                    Map<String, String> attrs = new LinkedHashMap<>(t.eventAttributes());
                    events.publish("container", "health_status: " + status, id.value(), attrs);
                }
            }
        } catch (InterruptedException e) {
            // the container stopped
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "health monitor of " + id + " ended: " + e.getMessage());
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** One probe: an exec with stdout and stderr captured, killed after {@code timeout}. */
    private Result probe(ContainerId id, List<String> cmd, long timeoutNanos) throws InterruptedException {
        String execId;
        try {
            execId = execs.create(id.value(), new ExecCreateRequest(null, false, false, null, false, true, true, false,
                    null, null, null, cmd)).id();
        } catch (RuntimeException e) {
            return new Result(-1, e.getMessage());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread run = Thread.ofVirtual().start(() -> {
            try {
                execs.start(execId, null, InputStream.nullInputStream(), buf);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "health probe of " + id + ": " + e.getMessage());
            }
        });
        if (!run.join(java.time.Duration.ofNanos(timeoutNanos))) {
            try {
                int pid = execs.inspect(execId).pid();
                if (pid > 0) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (RuntimeException ignored) {
                // it ended meanwhile
            }
            run.join(java.time.Duration.ofSeconds(5));
            return new Result(-1, "Health check exceeded timeout (" + java.time.Duration.ofNanos(timeoutNanos)
                    .toString().substring(2).toLowerCase() + ")");
        }
        Integer code = execs.inspect(execId).exitCode();
        return new Result(code == null ? -1 : code, demux(buf.toByteArray()));
    }

    /** The payloads of a multiplexed stream (8-byte headers), cut at 4096 bytes as moby does. */
    static String demux(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= b.length) {
            int len = ((b[i + 4] & 0xff) << 24) | ((b[i + 5] & 0xff) << 16) | ((b[i + 6] & 0xff) << 8) | (b[i + 7] & 0xff);
            int end = Math.min(b.length, i + 8 + len);
            out.write(b, i + 8, end - i - 8);
            i = end;
        }
        byte[] all = out.toByteArray();
        return new String(all, 0, Math.min(all.length, MAX_OUTPUT), StandardCharsets.UTF_8);
    }

    private static long orDefault(long nanos, long dflt) {
        return nanos > 0 ? nanos : dflt;
    }

    @Override
    public void close() {
        closed = true;
        sub.close();
        follower.interrupt();
        probes.values().forEach(Thread::interrupt);
        probes.clear();
    }
}
