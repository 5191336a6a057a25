package dev.wharf.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.id.ContainerId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runc binary: one short-lived process per call, {@code --root} always set. */
final class Runc {

    private static final Logger LOG = LoggerFactory.getLogger(Runc.class);
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runc;
    private final Path root;
    private final RuncShortcuts shortcuts;

    Runc(Path runc, Path root) {
        this.runc = runc;
        this.root = root;
        this.shortcuts = new RuncShortcuts(root, Path.of("/sys/fs/cgroup"));
    }

    record Result(int exit, byte[] stdout, String stderr) {}

    Result run(String... args) {
        List<String> cmd = new ArrayList<>(args.length + 2);
        cmd.add(runc.toString());
        cmd.add("--root=" + root);
        cmd.addAll(List.of(args));
        LOG.trace("{}", cmd);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            java.lang.Process p = pb.start();
            byte[] out;
            byte[] err;
            try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
                // runc's outputs are small (state JSON, one error line): no risk of filling the other pipe
                out = o.readAllBytes();
                err = e.readAllBytes();
            }
            int rc = p.waitFor();
            return new Result(rc, out, new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + runc, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCommandException("interrupted while running runc " + args[0], -1);
        }
    }

    /**
     * Starts a created container by releasing its exec FIFO ({@link ExecFifo}), which spares a
     * runc process on every start; in any other state runc answers, with its own message.
     */
    void start(ContainerId id) {
        Path fifo = ExecFifo.of(root, id.value());
        RuncShortcuts.State state = fifo == null ? null : shortcuts.state(id);
        int pid = state == null ? 0 : state.initPid();
        if (pid <= 0) {
            check(run("start", id.value()));
            return;
        }
        ExecFifo.release(fifo, pid);
    }


    void kill(ContainerId id, int signal, boolean all) {
        if (shortcuts.kill(id, signal, all)) {
            return;
        }
        String sig = String.valueOf(signal);
        check(all ? run("kill", "--all", id.value(), sig) : run("kill", id.value(), sig));
    }

    void pause(ContainerId id) {
        check(run("pause", id.value()));
    }

    void resume(ContainerId id) {
        check(run("resume", id.value()));
    }

    String ps(ContainerId id, List<String> psArgs) {
        List<String> a = new ArrayList<>(List.of("ps", id.value()));
        a.addAll(psArgs); // runc hands everything after the id to ps; a "--" would reach ps too
        Result r = run(a.toArray(String[]::new));
        check(r);
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    void update(ContainerId id, Path resources) {
        check(run("update", "--resources", resources.toString(), id.value()));
    }

    void delete(ContainerId id, boolean force) {
        if (unknown(id)) {
            return; // nothing to delete: spare the runc process (most calls come after the exit's cleanup)
        }
        if (shortcuts.deleteStopped(id)) {
            return;
        }
        Result r = force ? run("delete", "--force", id.value()) : run("delete", id.value());
        if (r.exit() != 0 && !doesNotExist(r.stderr())) {
            throw new RuntimeCommandException(message(r.stderr()), r.exit());
        }
    }

    Optional<RuncState> state(ContainerId id) {
        if (unknown(id)) {
            return Optional.empty();
        }
        Result r = run("state", id.value());
        if (r.exit() != 0) {
            if (doesNotExist(r.stderr())) {
                return Optional.empty();
            }
            throw new RuntimeCommandException(message(r.stderr()), r.exit());
        }
        try {
            return Optional.of(JSON.readValue(r.stdout(), RuncState.class));
        } catch (IOException e) {
            throw new RuntimeCommandException("runc state: bad JSON: " + e.getMessage(), 0);
        }
    }

    /** runc keeps each container's state in {@code <root>/<id>/}; without it runc answers "does not exist". */
    private boolean unknown(ContainerId id) {
        return !java.nio.file.Files.isDirectory(root.resolve(id.value()));
    }

    private static boolean doesNotExist(String stderr) {
        return stderr.contains("does not exist") || stderr.contains("not exist");
    }

    private static void check(Result r) {
        if (r.exit() != 0) {
            throw new RuntimeCommandException(message(r.stderr()), r.exit());
        }
    }

    /** The {@code msg="…"} of runc's last logrus line, unquoted; the raw text when there is none. */
    static String message(String stderr) {
        String last = null;
        Matcher m = MSG.matcher(stderr);
        while (m.find()) {
            last = m.group(1);
        }
        if (last == null) {
            return stderr.strip();
        }
        StringBuilder b = new StringBuilder(last.length());
        for (int i = 0; i < last.length(); i++) {
            char c = last.charAt(i);
            if (c == '\\' && i + 1 < last.length()) {
                char n = last.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
