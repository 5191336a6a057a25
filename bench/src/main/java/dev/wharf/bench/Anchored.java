package dev.wharf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one measurement against wharfd (its own, started on temporary roots, or the one at
 * {@code --host}) and then against Docker at /var/run/docker.sock when one answers, the anchor,
 * each with the busybox image imported first. Removes what it made afterwards.
 */
final class Anchored {

    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

    /** One measurement: {@code who} names the engine, {@code pid} is its daemon's or -1 if unknown. */
    interface Measurement {
        void run(String who, UnixHttp api, long pid) throws Exception;
    }

    private Anchored() {
    }

    /** What the runtime alone takes for the same work, measured after the engines (a floor). */
    interface Floor {
        void run(Path work, Path busyboxTar) throws Exception;
    }

    /** {@code host} null starts a wharfd of its own; {@code pid} is the given daemon's, or -1. */
    static void run(String host, long pid, Measurement m) throws Exception {
        run(host, pid, m, (work, tar) -> { });
    }

    static void run(String host, long pid, Measurement m, Floor floor) throws Exception {
        Path repo = RunRmBench.repoRoot();
        Path work = Path.of("/tmp", "wharf-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.createDirectories(work);
        Process wharfd = null;
        try {
            Path tar = work.resolve("busybox.tar");
            RunRmBench.exec(List.of(repo.resolve("scripts/make-busybox-rootfs.sh").toString(), tar.toString()), Map.of());
            UnixHttp api;
            long daemonPid = pid;
            if (host != null) {
                api = new UnixHttp(Path.of(host.replaceFirst("^unix://", "")));
            } else {
                api = new UnixHttp(work.resolve("wharf.sock"));
                wharfd = RunRmBench.startWharfd(repo, work, api);
                daemonPid = wharfd.pid();
            }
            RunRmBench.importImage(api, tar);
            m.run("wharfd", api, daemonPid);
            UnixHttp docker = new UnixHttp(DOCKER_SOCKET);
            if (Files.exists(DOCKER_SOCKET) && docker.ping()) {
                RunRmBench.importImage(docker, tar);
                m.run("docker", docker, -1);
            } else {
                System.out.println("docker: not installed");
            }
            floor.run(work, tar);
        } finally {
            if (wharfd != null) {
                RunRmBench.stopWharfd(wharfd, work);
            }
            RunRmBench.exec(List.of("rm", "-rf", "--one-file-system", work.toString()), Map.of());
        }
    }
}
