package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.client.ContainersApi;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.run.Compose;
import dev.wharf.compose.run.LogStreams;
import dev.wharf.compose.run.UpOptions;
import dev.wharf.model.container.ContainerSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf compose up}: converge, then (unless -d) follow the services' output. */
@Command(name = "up")
final class UpCommand extends ComposeSubcommand {

    @Option(names = {"-d", "--detach"}, description = "Detached mode: Run containers in the background")
    boolean detach;

    @Option(names = "--build", description = "Build images before starting containers")
    boolean build;

    @Option(names = "--no-build", description = "Don't build an image, even if it's policy")
    boolean noBuild;

    @Option(names = "--scale", paramLabel = "scale", description = "Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.")
    List<String> scale;

    @Option(names = "--wait", description = "Wait for services to be running|healthy. Implies detached mode.")
    boolean waitReady;

    @Option(names = "--wait-timeout", paramLabel = "int", description = "Maximum duration in seconds to wait for the project to be running|healthy")
    Integer waitTimeout;

    @Option(names = "--force-recreate", description = "Recreate containers even if their configuration and image haven't changed")
    boolean forceRecreate;

    @Option(names = "--no-recreate", description = "If containers already exist, don't recreate them. Incompatible with --force-recreate.")
    boolean noRecreate;

    @Option(names = "--no-deps", description = "Don't start linked services")
    boolean noDeps;

    @Option(names = "--no-start", description = "Don't start the services after creating them")
    boolean noStart;

    @Option(names = "--remove-orphans", description = "Remove containers for services not defined in the Compose file")
    boolean removeOrphans;

    @Option(names = "--abort-on-container-exit", description = "Stops all containers if any container was stopped. Incompatible with -d")
    boolean abortOnExit;

    @Option(names = "--exit-code-from", paramLabel = "string", description = "Return the exit code of the selected service container. Implies --abort-on-container-exit")
    String exitCodeFrom;

    @Mixin
    LogFlags output = new LogFlags();

    @Option(names = "--timestamps", description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--quiet-pull", description = "Pull without printing progress information")
    boolean quietPull;

    @Option(names = {"-t", "--timeout"}, paramLabel = "int", description = "Use this timeout in seconds for container shutdown when attached or when containers are already running")
    Integer timeout;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> services;

    @Override
    public Integer call() {
        if (forceRecreate && noRecreate) {
            throw new Cli.UsageError("--force-recreate and --no-recreate are incompatible");
        }
        boolean abort = abortOnExit || exitCodeFrom != null;
        if (detach && abort) {
            throw new Cli.UsageError("--abort-on-container-exit and --detach are incompatible");
        }
        Map<String, Integer> scales = new LinkedHashMap<>();
        for (String s : orEmpty(scale)) {
            int eq = s.indexOf('=');
            try {
                scales.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
            } catch (RuntimeException e) {
                throw new Cli.UsageError("invalid --scale " + s + " (SERVICE=NUM)");
            }
        }
        Project p = opts.project();
        Compose compose = opts.compose();
        String since = Long.toString(Instant.now().getEpochSecond());
        orExit(() -> compose.up(p, new UpOptions(orEmpty(services), scales, build, forceRecreate, noRecreate,
                noDeps, removeOrphans, noStart, waitReady, waitTimeout == null ? null : Duration.ofSeconds(waitTimeout))));
        if (detach || waitReady || noStart) {
            return 0;
        }
        return attach(p, compose, since, abort);
    }

    /** Follows the output of the project's containers; with abort, stops all when the first exits. */
    private int attach(Project p, Compose compose, String since, boolean abort) {
        List<ContainerSummary> cs = compose.containers(p.name(), orEmpty(services), true, false);
        AtomicInteger code = new AtomicInteger();
        AtomicReference<String> first = new AtomicReference<>();
        CountDownLatch streamsEnded = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cli.err().println("Gracefully stopping... (press Ctrl+C again to force)");
            compose.act(p.name(), p, orEmpty(services), Compose.Action.STOP, timeout, null);
            try {
                streamsEnded.await(2, TimeUnit.SECONDS); // the last lines and "exited with code" of each
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> waiters = new ArrayList<>();
        if (abort) {
            for (ContainerSummary c : cs) {
                waiters.add(Thread.ofVirtual().start(() -> {
                    long exit = cli.client().containers().wait(c.id(), ContainersApi.WaitOptions.notRunning()).statusCode();
                    String svc = c.labels().get(dev.wharf.compose.model.Labels.SERVICE);
                    if (first.compareAndSet(null, svc)) {
                        code.set((int) exit);
                        cli.err().println("Aborting on container exit...");
                        compose.act(p.name(), p, orEmpty(services), Compose.Action.STOP, timeout, null);
                    }
                    if (svc != null && svc.equals(exitCodeFrom)) {
                        code.set((int) exit);
                    }
                }));
            }
        }
        new LogStreams(cli.client(), cli.out()).attach(cs, output.options(true, "all", timestamps, since, opts));
        streamsEnded.countDown();
        for (Thread t : waiters) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Ctrl+C: the hook is stopping the project and exits when it is done
        }
        return code.get();
    }
}
