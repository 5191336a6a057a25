package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotImplementedException;
import dev.wharf.model.container.WaitResponse;
import dev.wharf.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container's streams: attach (its output to the client, the client's stdin to it), logs, and
 * wait. None holds the container's lock while it streams or waits.
 */
final class ContainerStreams {

    private final ContainerRegistry registry;
    private final ContainerRuntime runtime;

    ContainerStreams(ContainerRegistry registry, ContainerRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    /**
     * Registers a wait now, so that a wait opened before start sees the exit; the future completes
     * when the condition holds.
     */
    CompletableFuture<WaitResponse> waitFor(String idOrName, String condition) {
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        if (!List.of("not-running", "next-exit", "removed").contains(cond)) {
            throw new InvalidArgumentException("invalid condition: \"" + cond + "\"");
        }
        Container c = registry.find(idOrName);
        CompletableFuture<Integer> f = switch (cond) {
            case "removed" -> c.removal();
            case "next-exit" -> c.nextExit();
            default -> {
                CompletableFuture<Integer> e = c.nextExit();
                if (c.state.running()) {
                    yield e;
                }
                e.cancel(false);
                yield CompletableFuture.completedFuture(c.state.exitCode());
            }
        };
        // a client that leaves cancels the response, and with it the waiter it left on the container
        CompletableFuture<WaitResponse> out = f.thenApply(code -> new WaitResponse(null, code));
        out.whenComplete((w, e) -> {
            if (out.isCancelled()) {
                f.cancel(false);
            }
        });
        return out;
    }

    /**
     * Streams the container's output to the client (and the client's stdin to it) until it ends.
     * The session is registered before {@code opener} upgrades the connection: the docker CLI sends
     * {@code start} as soon as it sees the upgrade, and that start must find the session.
     */
    void attach(String idOrName, AttachOptions o, AttachOptions.Opener opener) throws IOException {
        Container c = registry.find(idOrName);
        ContainerPaths paths = registry.paths();
        boolean tty = c.cfg.config().tty();
        boolean raw = tty || o.raw();
        boolean readable = LogConfigCheck.of(c.cfg.hostConfig().logConfig()).readable();
        if (!o.stream()) {
            AttachOptions.Streams st = opener.open();
            if (o.logs() && readable) {
                replayLogs(c, o, st.out(), raw);
            }
            registry.publish(c, "attach"); // as Docker: after the logs, stream or not
            return;
        }
        boolean stdin = o.stdin() && c.cfg.config().openStdin();
        byte[] keys = DetachKeys.parse(o.detachKeys()); // a 400 before the upgrade
        AttachSession s = new AttachSession(null, null, tty, stdin, o.stdout(), o.stderr(), c.cfg.config().stdinOnce(),
                readable ? paths.log(c.id) : null, keys, raw);
        // A running container's monitor is joined only once the client has its stream: a client
        // that hangs up before the upgrade costs nothing (see AttachHub for why conmon must not see
        // a connection per client).
        boolean joinAfterUpgrade;
        boolean live;
        c.lock.lock();
        try {
            joinAfterUpgrade = c.state.running();
            live = joinAfterUpgrade || awaitStart(c, s);
        } finally {
            c.lock.unlock();
        }
        boolean ran = false;
        try {
            AttachOptions.Streams st = opener.open();
            if (joinAfterUpgrade) {
                if (st.gone().getAsBoolean()) {
                    return; // the client left before its stream began
                }
                live = join(c, s, paths);
            }
            if (o.logs() && readable) {
                replayLogs(c, o, st.out(), raw);
            }
            registry.publish(c, "attach");
            if (!live) {
                return;
            }
            s.bind(st.in(), st.out());
            ran = true;
            s.run();
        } finally {
            c.removePendingAttach(s);
            if (!ran) {
                s.abandon(); // the client never got the stream: conmon's socket must not stay open
            }
        }
        registry.publish(c, "detach");
    }

    /**
     * Connects the session to the running container's monitor; false when the container stopped
     * during the upgrade, whose stream then ends at once, as it would have at the exit.
     */
    private boolean join(Container c, AttachSession s, ContainerPaths paths) throws IOException {
        c.lock.lock();
        try {
            if (!c.state.running()) {
                return false;
            }
            s.connect(c.attachHub(() -> AttachHub.forRun(c, runtime, paths.bundle(c.id))).subscribe(),
                    c.state.conmonPid());
            return true;
        } finally {
            c.lock.unlock();
        }
    }

    /** Caller holds the lock. A created or exited container's session is connected by its next start. */
    private static boolean awaitStart(Container c, AttachSession s) {
        if (c.state.is(ContainerStatus.CREATED) || c.state.is(ContainerStatus.EXITED)) {
            c.addPendingAttach(s);
            return true;
        }
        return false;
    }

    private void replayLogs(Container c, AttachOptions o, OutputStream out, boolean raw) throws IOException {
        LogStreamer.replay(registry.paths().log(c.id), new LogStreamer.Options(o.stdout(), o.stderr(), false, null,
                null, -1, false), out, raw);
    }

    /** Fails (501, as Docker) when the container's logging driver keeps nothing to read. */
    void checkLogs(String idOrName) {
        checkLogsReadable(registry.find(idOrName));
    }

    private static void checkLogsReadable(Container c) {
        if (!LogConfigCheck.of(c.cfg.hostConfig().logConfig()).readable()) {
            throw new NotImplementedException("configured logging driver does not support reading");
        }
    }

    /**
     * How long after its start a container's logs wait for it to exit. A client that starts a
     * short command and asks for its logs at once (docker-py's own tests do) finds them written
     * on Docker, whose start takes this long to return; here the start returns sooner.
     */
    private static final Duration SETTLE = Duration.ofMillis(200);

    /** Waits, within {@link #SETTLE} of its start, until a container that is running exits. */
    private void settleAfterStart(Container c) {
        String started = c.state.startedAt();
        if (started == null || started.equals(StateRecord.ZERO)) {
            return;
        }
        long left = Duration.between(registry.clock().now(), Instant.parse(started).plus(SETTLE)).toNanos();
        if (left <= 0) {
            return;
        }
        CompletableFuture<Integer> exit = c.nextExit();
        try {
            if (c.state.running()) {
                exit.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // still running: its logs are what it wrote so far
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exit.cancel(false); // no waiter left behind on a container that runs on
        }
    }

    /**
     * {@code GET /containers/{id}/logs}. A follow ends when the container stops or when
     * {@code clientGone} completes: a client that left a quiet container's logs leaves nothing
     * behind.
     */
    void logs(String idOrName, LogStreamer.Options o, OutputStream out, CompletableFuture<?> clientGone)
            throws IOException {
        Container c = registry.find(idOrName);
        checkLogsReadable(c);
        boolean tty = c.cfg.config().tty();
        if (!o.follow() && c.state.running()) {
            settleAfterStart(c);
        }
        CompletableFuture<Integer> exit = o.follow() ? c.nextExit() : null;
        if (o.follow() && c.state.running()) {
            try {
                LogStreamer.follow(registry.paths().log(c.id), o, out, tty,
                        () -> !c.state.running() || clientGone.isDone(), CompletableFuture.anyOf(exit, clientGone));
            } finally {
                exit.cancel(false);
            }
        } else {
            if (exit != null) {
                exit.cancel(false);
            }
            LogStreamer.replay(registry.paths().log(c.id), o, out, tty);
        }
    }
}
