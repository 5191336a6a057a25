package dev.wharf.it.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with optional stdin, capturing stdout and stderr apart. */
public final class ProcessRunner {

    private ProcessRunner() {
    }

    public static CliResult run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = Thread.ofVirtual().start(() -> pump(process.getInputStream(), out));
        Thread errPump = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), err));
        if (stdin != null) {
            Thread.ofVirtual().start(() -> {
                try (OutputStream os = process.getOutputStream()) {
                    os.write(stdin);
                } catch (IOException ignored) {
                    // the process closed its stdin
                }
            });
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                outPump.join(Duration.ofSeconds(2));
                errPump.join(Duration.ofSeconds(2));
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n  stdout so far: " + out.toString(StandardCharsets.UTF_8)
                        + "\n  stderr so far: " + err.toString(StandardCharsets.UTF_8));
            }
            outPump.join(Duration.ofSeconds(5));
            errPump.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        synchronized (out) {
            synchronized (err) {
                return new CliResult(List.copyOf(command), process.exitValue(),
                        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static void pump(InputStream in, ByteArrayOutputStream sink) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (sink) {
                    sink.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    public static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
