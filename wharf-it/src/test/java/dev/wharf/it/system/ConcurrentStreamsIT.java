package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliSession;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfdProcess;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once and clients that vanish: the daemon keeps answering while dozens of
 * attached streams wait on their containers, and is idle again once their clients are killed.
 */
@WharfIT
class ConcurrentStreamsIT {

    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void sixtyFourAttachedSessions_eachCarriesItsBytes_whilePingStaysFast(DockerCli docker, Api api) {
        String host = Names.unique("streams-host");
        List<String> cats = new ArrayList<>();
        List<CliSession> all = new ArrayList<>();
        try {
            docker.ok("run", "-d", "--name", host, BUSYBOX, "sleep", "600");
            for (int i = 0; i < 4; i++) {
                String c = Names.unique("streams-cat" + i);
                docker.ok("run", "-d", "-i", "--name", c, BUSYBOX, "cat");
                cats.add(c);
            }
            List<CliSession> runs = new ArrayList<>();
            List<CliSession> execs = new ArrayList<>();
            List<CliSession> attaches = new ArrayList<>();
            List<CliSession> logs = new ArrayList<>();
            List<CliSession> events = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                runs.add(docker.start("run", "-i", "--rm", BUSYBOX, "cat"));
                execs.add(docker.start("exec", "-i", host, "cat"));
            }
            for (String c : cats) {
                for (int i = 0; i < 3; i++) {
                    attaches.add(docker.start("attach", c));
                    logs.add(docker.start("logs", "-f", c));
                }
            }
            for (int i = 0; i < 8; i++) {
                events.add(docker.start("events", "--filter", "type=container", "--filter", "event=start"));
            }
            List.of(runs, execs, attaches, logs, events).forEach(all::addAll);
            assertThat(all).hasSize(64);

            // every interactive stream echoes what its client sends
            List<CliSession> talkers = new ArrayList<>(runs);
            talkers.addAll(execs);
            talkers.addAll(attaches);
            for (int i = 0; i < talkers.size(); i++) {
                talkers.get(i).send("first-" + i);
            }
            for (int i = 0; i < talkers.size(); i++) {
                talkers.get(i).awaitLine("first-" + i, STREAM_TIMEOUT);
            }

            // the daemon answers at once while all of them wait on their containers
            long[] micros = new long[200];
            for (int i = 0; i < micros.length; i++) {
                long t0 = System.nanoTime();
                Api.Response ping = api.get("/_ping");
                micros[i] = (System.nanoTime() - t0) / 1000;
                assertThat(ping.status()).isEqualTo(200);
            }
            Arrays.sort(micros);
            long p99 = micros[(int) Math.ceil(micros.length * 0.99) - 1];
            assertThat(p99).as("p99 of /_ping in µs with 64 streams open; sorted: %s", Arrays.toString(micros))
                    .isLessThan(50_000);

            // and the streams still carry bytes afterwards
            for (int i = 0; i < talkers.size(); i++) {
                talkers.get(i).send("second-" + i);
            }
            for (int i = 0; i < talkers.size(); i++) {
                talkers.get(i).awaitLine("second-" + i, STREAM_TIMEOUT);
            }
            for (int c = 0; c < cats.size(); c++) {
                for (int k = 0; k < 3; k++) {
                    CliSession log = logs.get(c * 3 + k);
                    for (int a = 0; a < 3; a++) {
                        log.awaitLine("second-" + (runs.size() + execs.size() + c * 3 + a), STREAM_TIMEOUT);
                    }
                }
            }
            String marker = Names.unique("streams-marker");
            docker.ok("run", "--rm", "--name", marker, BUSYBOX, "true");
            for (CliSession e : events) {
                e.awaitLine(marker, STREAM_TIMEOUT);
            }

            // clients that end their input end their sessions
            for (CliSession s : runs) {
                s.closeStdin();
            }
            for (CliSession s : execs) {
                s.closeStdin();
            }
            for (CliSession s : runs) {
                assertThat(s.awaitExit(STREAM_TIMEOUT)).as("%s: %s", s, s.stderr()).isZero();
            }
            for (CliSession s : execs) {
                assertThat(s.awaitExit(STREAM_TIMEOUT)).as("%s: %s", s, s.stderr()).isZero();
            }
        } finally {
            all.forEach(CliSession::close);
            List<String> rm = new ArrayList<>(List.of("rm", "-f", host));
            rm.addAll(cats);
            docker.run(rm.toArray(String[]::new));
        }
    }

    @Test
    void attachClientsThatLeaveBeforeTheUpgrade_doNotStallTheContainersOutput(DockerCli docker, Api api,
            WharfdProcess wharfd) throws Exception {
        String name = Names.unique("streams-flood");
        try {
            ProcessHandle monitor = runCounter(docker, api, wharfd, name, false);
            // Each client asks for an attach and hangs up at once: the daemon must let go when the
            // upgrade finds no one there, and must not have made conmon open and close a connection
            // for each (conmon 2.1.6 segfaulted now and then under that churn, and the container's
            // output stopped with it; on the code before, within some ten waves of 40).
            byte[] request = attachUpgrade(name, "stdout=1&stderr=1");
            for (int wave = 0; wave < 12; wave++) {
                for (int i = 0; i < 40; i++) {
                    try (SocketChannel sc = SocketChannel.open(UnixDomainSocketAddress.of(api.socket()))) {
                        sc.write(ByteBuffer.wrap(request));
                    }
                }
                awaitOutputMovesOn(docker, name);
            }
            assertThat(monitor.isAlive()).as("the container's conmon").isTrue();
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void attachClientsThatLeaveRightAfterTheUpgrade_doNotStallTheContainersOutput(DockerCli docker, Api api,
            WharfdProcess wharfd) throws Exception {
        String name = Names.unique("streams-churn");
        try {
            ProcessHandle monitor = runCounter(docker, api, wharfd, name, true);
            // Each client gets its stream (the 101 and the upgrade) and hangs up at once, 40 at a time.
            // On the code before, each made conmon accept and drop a connection of its own, and conmon
            // 2.1.6 segfaulted under that churn within some ten waves: the output stopped there.
            byte[] request = attachUpgrade(name, "stdin=1&stdout=1&stderr=1");
            for (int wave = 0; wave < 20; wave++) {
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    clients.add(Thread.ofVirtual().start(() -> {
                        try (SocketChannel sc = SocketChannel.open(UnixDomainSocketAddress.of(api.socket()))) {
                            sc.write(ByteBuffer.wrap(request));
                            sc.read(ByteBuffer.allocate(4096)); // the 101 (and maybe output): then gone
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                }
                for (Thread t : clients) {
                    t.join();
                }
                awaitOutputMovesOn(docker, name);
            }
            assertThat(monitor.isAlive()).as("the container's conmon").isTrue();
            // and an attach after all that still carries the container's output and stdin
            CliSession attach = docker.start("attach", name);
            try {
                attach.awaitLine("line", STREAM_TIMEOUT);
            } finally {
                attach.close();
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    /**
     * Runs {@code name}, which writes a numbered line every 2 ms (with {@code -i} when
     * {@code openStdin}); returns its conmon.
     */
    private static ProcessHandle runCounter(DockerCli docker, Api api, WharfdProcess wharfd, String name,
            boolean openStdin) {
        List<String> run = new ArrayList<>(List.of("run", "-d"));
        if (openStdin) {
            run.add("-i");
        }
        run.addAll(List.of("--name", name, BUSYBOX, "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo line $i; usleep 2000; done"));
        docker.ok(run.toArray(String[]::new));
        String id = api.get("/containers/" + name + "/json").json().path("Id").asText();
        return wharfd.conmons().stream()
                .filter(p -> WharfdProcess.cmdline(p.pid()).contains(id)).findFirst().orElseThrow();
    }

    /** A raw attach request asking for the TCP upgrade, with these stream parameters. */
    private static byte[] attachUpgrade(String name, String streams) {
        return ("POST /containers/" + name + "/attach?stream=1&" + streams + " HTTP/1.1\r\n"
                + "Host: d\r\nUpgrade: tcp\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The counter's output goes on: 100 more lines within 20 s. */
    private static void awaitOutputMovesOn(DockerCli docker, String name) {
        long before = lastLine(docker, name);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(lastLine(docker, name)).isGreaterThan(before + 100));
    }

    private static long lastLine(DockerCli docker, String name) {
        String[] lines = docker.ok("logs", "--tail", "1", name).out().split(" ");
        return Long.parseLong(lines[lines.length - 1]);
    }

    @Test
    void clientsKilledMidStream_leaveTheDaemonIdle(DockerCli docker, WharfCli wharf, WharfdProcess wharfd)
            throws InterruptedException {
        String cat = Names.unique("vanish-cat");
        String sleeper = Names.unique("vanish-sleep");
        String shell = Names.unique("vanish-shell");
        List<CliSession> sessions = new ArrayList<>();
        try {
            docker.ok("run", "-d", "-i", "--name", cat, BUSYBOX, "cat");
            docker.ok("run", "-d", "--name", sleeper, BUSYBOX, "sh", "-c", "while true; do echo tick; sleep 0.2; done");

            CliSession attach = docker.start("attach", cat);
            attach.send("attach-1");
            attach.awaitLine("attach-1", STREAM_TIMEOUT);
            sessions.add(attach);

            CliSession execTty = docker.startInTerminal("exec", "-it", sleeper, "sh");
            execTty.send("echo exec-$((40+2))");
            execTty.awaitLine("exec-42", STREAM_TIMEOUT);
            sessions.add(execTty);

            CliSession runTty = docker.startInTerminal("run", "--rm", "-it", "--name", shell, BUSYBOX, "sh");
            runTty.send("echo run-$((40+2))");
            runTty.awaitLine("run-42", STREAM_TIMEOUT);
            sessions.add(runTty);

            CliSession logs = docker.start("logs", "-f", sleeper);
            logs.awaitLine("tick", STREAM_TIMEOUT);
            sessions.add(logs);

            CliSession events = docker.start("events");
            sessions.add(events);
            CliSession stats = docker.start("stats", "--no-trunc", sleeper);
            stats.awaitLine(sleeper.substring(0, 4), STREAM_TIMEOUT);
            sessions.add(stats);

            // an exec whose client half-closed its stdin while the process goes on writing
            CliSession halfClosed = docker.start("exec", "-i", sleeper, "sh", "-c", "cat; while true; do echo half; "
                    + "sleep 0.2; done");
            halfClosed.send("half-closed");
            halfClosed.awaitLine("half-closed", STREAM_TIMEOUT);
            halfClosed.closeStdin();
            halfClosed.awaitLine("half", STREAM_TIMEOUT);
            sessions.add(halfClosed);

            // wharf's launcher: `logs -f` and `wait` that the daemon runs for it (the command is
            // interrupted when the launcher's connection closes)
            CliSession wharfLogs = wharf.start("logs", "-f", sleeper);
            wharfLogs.awaitLine("tick", STREAM_TIMEOUT);
            sessions.add(wharfLogs);
            sessions.add(wharf.start("wait", sleeper));

            // a load whose client dies in the middle of the upload
            CliSession load = docker.start("load");
            load.send("x".repeat(4096)); // never the end of an archive: the daemon waits for more
            sessions.add(load);

            sessions.forEach(CliSession::kill9);

            // what the killed clients left must be let go of: the daemon settles to idle
            awaitIdle(wharfd, Duration.ofSeconds(60));
            // 10 s windows, the measurement the issue asks for: one-off work that was due (the idle
            // heap collection after the killed load, a late JIT compile) may fall in the first; a
            // spinning loop fills every one of them
            List<String> windows = new ArrayList<>();
            double share = 1;
            for (int w = 0; w < 3 && share >= 0.01; w++) {
                long before = wharfd.cpuTicks();
                long t0 = System.nanoTime();
                Thread.sleep(10_000);
                long ticks = wharfd.cpuTicks() - before;
                double seconds = (System.nanoTime() - t0) / 1e9;
                share = ticks / 100.0 / seconds;
                windows.add(ticks + " ticks in " + String.format("%.1f", seconds) + " s");
            }
            assertThat(share).as("share of one CPU used by the idle daemon after clients were killed: %s", windows)
                    .isLessThan(0.01);

            // and it still serves a fresh client
            assertThat(docker.ok("exec", sleeper, "echo", "still-here").out()).contains("still-here");
        } finally {
            sessions.forEach(CliSession::close);
            docker.run("rm", "-f", cat, sleeper, shell);
        }
    }

    @Test
    void logFollowersOfAQuietContainer_endWhenTheirClientsAreKilled(DockerCli docker, WharfdProcess wharfd) {
        String quiet = Names.unique("quiet");
        List<CliSession> followers = new ArrayList<>();
        try {
            docker.ok("run", "-d", "--name", quiet, BUSYBOX, "sh", "-c", "echo hello; exec sleep 600");
            long before = inotifyWatches(wharfd);
            for (int i = 0; i < 5; i++) {
                CliSession f = docker.start("logs", "-f", quiet);
                f.awaitLine("hello", STREAM_TIMEOUT);
                followers.add(f);
            }
            assertThat(inotifyWatches(wharfd)).as("the followers watch the log's directory").isGreaterThan(before);

            // nothing more is written, so only the connection tells the daemon its readers left
            followers.forEach(CliSession::kill9);
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(inotifyWatches(wharfd))
                            .as("the watches of the killed followers are let go").isLessThanOrEqualTo(before));

            // a follower that stays still ends with the container
            CliSession stays = docker.start("logs", "-f", quiet);
            stays.awaitLine("hello", STREAM_TIMEOUT);
            followers.add(stays);
            docker.ok("kill", quiet);
            assertThat(stays.awaitExit(STREAM_TIMEOUT)).as("docker logs -f ends with its container").isZero();
        } finally {
            followers.forEach(CliSession::close);
            docker.run("rm", "-f", quiet);
        }
    }

    /**
     * More followers of one log than the kernel's default of 128 inotify instances per user: each
     * gets the line written after they all joined, and the daemon holds one instance for them all.
     */
    @Test
    void aHundredAndFiftyFollowersOfOneLog_eachGetTheNextLine(Api api, DockerCli docker, WharfdProcess wharfd)
            throws Exception {
        String c = Names.unique("followed");
        List<Api.Stream> streams = new ArrayList<>();
        try {
            docker.ok("run", "-d", "--name", c, BUSYBOX, "sh", "-c",
                    "echo first; while [ ! -f /go ]; do sleep 0.1; done; echo second; exec sleep 600");
            long instancesBefore = inotifyInstances(wharfd);
            for (int i = 0; i < 150; i++) {
                Api.Stream s = api.open("GET", "/containers/" + c + "/logs?follow=1&stdout=1", java.util.Map.of(),
                        null, Duration.ofSeconds(120));
                streams.add(s);
                assertThat(s.status()).isEqualTo(200);
                assertThat(s.readLine()).as("follower %d", i).contains("first");
            }
            assertThat(inotifyInstances(wharfd)).as("one inotify instance for all followers")
                    .isLessThanOrEqualTo(instancesBefore + 1);
            docker.ok("exec", c, "touch", "/go");
            for (int i = 0; i < streams.size(); i++) {
                assertThat(streams.get(i).readLine()).as("follower %d", i).contains("second");
            }
        } finally {
            for (Api.Stream s : streams) {
                s.close();
            }
            docker.run("rm", "-f", c);
        }
    }

    /** The daemon's open inotify instances. */
    private static long inotifyInstances(WharfdProcess wharfd) {
        return inotifyFds(wharfd).size();
    }

    /** The watches of all the daemon's inotify instances (one per watched directory and instance). */
    private static long inotifyWatches(WharfdProcess wharfd) {
        long n = 0;
        for (String fd : inotifyFds(wharfd)) {
            try {
                n += java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(wharfd.pid()),
                        "fdinfo", fd)).stream().filter(l -> l.startsWith("inotify wd:")).count();
            } catch (java.io.IOException closed) {
                // closed meanwhile
            }
        }
        return n;
    }

    private static List<String> inotifyFds(WharfdProcess wharfd) {
        java.nio.file.Path fds = java.nio.file.Path.of("/proc", Long.toString(wharfd.pid()), "fd");
        try (var list = java.nio.file.Files.list(fds)) {
            return list.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).map(fd -> fd.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until one second passes in which the daemon used no more than a tick of CPU. */
    private static void awaitIdle(WharfdProcess wharfd, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = wharfd.cpuTicks();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = wharfd.cpuTicks();
            if (now - last <= 1) {
                return;
            }
            last = now;
        }
    }
}
