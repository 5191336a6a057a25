package dev.wharf.it.kit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A client command left running, as a person leaves {@code docker attach} or {@code logs -f} open:
 * lines can be written to its stdin, its output lines are collected as they come, and it can be
 * ended politely (stdin closed) or killed with SIGKILL.
 */
public final class CliSession implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    CliSession(List<String> command, java.util.Map<String, String> env) {
        this.command = List.copyOf(command);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        stdin = process.getOutputStream();
        Thread.ofVirtual().start(() -> collect(new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
        Thread.ofVirtual().start(() -> collect(new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    }

    private void collect(BufferedReader r, boolean out) {
        try (r) {
            String l;
            while ((l = r.readLine()) != null) {
                if (out) {
                    lines.add(l.replace("\r", ""));
                } else {
                    stderr.append(l).append('\n');
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Writes one line to the command's stdin. */
    public void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + command + "; stderr: " + stderr, e);
        }
    }

    /** Closes the command's stdin (the client half-closes its side of an attach). */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean sawLine(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** Waits until a line containing {@code text} arrived; fails with what was seen after {@code timeout}. */
    public void awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sawLine(text)) {
            if (System.nanoTime() > deadline || (!process.isAlive() && !sawLine(text) && drained())) {
                throw new AssertionError("no line with \"" + text + "\" from " + String.join(" ", command)
                        + " within " + timeout + "; alive=" + process.isAlive() + "; lines=" + lines
                        + "; stderr=" + stderr);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private boolean drained() {
        try {
            Thread.sleep(200); // let the collector read what the dead process left in the pipe
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Waits for the command to end; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " still running after " + timeout
                        + "; lines=" + lines + "; stderr=" + stderr);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stderr() {
        return stderr.toString();
    }

    /** SIGKILL, as a client that crashes or is killed by its user. */
    public void kill9() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /** The client's own process (for {@code script}-wrapped sessions, the docker CLI under it). */
    public ProcessHandle client() {
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("docker")).findFirst()
                .orElse(process.toHandle());
    }
}
