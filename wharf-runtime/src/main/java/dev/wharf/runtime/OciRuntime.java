package dev.wharf.runtime;

import dev.wharf.base.id.ContainerId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The OCI runtime adapter: conmon plus runc. It makes no state decisions; the engine owns the
 * container state machine (podman {@code libpod/oci.go}). Each call is one short process, apart
 * from conmon which stays as the container's monitor.
 */
public final class OciRuntime implements ContainerRuntime {

    private final RuntimeConfig cfg;
    private final Conmon conmon;
    private final Runc runc;

    public OciRuntime(RuntimeConfig cfg) {
        this.cfg = cfg;
        this.conmon = new Conmon(cfg);
        this.runc = new Runc(cfg.runc(), cfg.runcRoot());
    }

    public RuntimeConfig config() {
        return cfg;
    }

    /**
     * conmon + {@code runc create}; returns the container's init pid.
     *
     * @throws RuntimeStartException with runc's message when the container cannot be created
     */
    @Override
    public int create(Launch l) {
        try {
            Files.createDirectories(l.exitDir());
            Files.createDirectories(l.socketDir());
            Files.createDirectories(l.logPath().toAbsolutePath().getParent());
            Files.createDirectories(cfg.runcRoot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conmon.create(l);
    }

    /** {@code runc start}: runs the process {@link #create} prepared. */
    @Override
    public void start(ContainerId id) {
        runc.start(id);
    }

    /** {@code runc kill}; with {@code all}, every process of the container. */
    @Override
    public void kill(ContainerId id, int signal, boolean all) {
        runc.kill(id, signal, all);
    }

    /** {@code runc delete}; a container runc does not know is not an error. */
    @Override
    public void delete(ContainerId id, boolean force) {
        runc.delete(id, force);
    }

    @Override
    public Optional<RuncState> state(ContainerId id) {
        return runc.state(id);
    }

    /** Resizes a TTY container through conmon's {@code ctl} FIFO (message type 1: window resize). */
    @Override
    public void resize(Path bundle, int height, int width) {
        if (height < 0 || width < 0 || height > 1000 || width > 1000) {
            throw new dev.wharf.base.error.InvalidArgumentException(
                    "invalid window size " + height + "x" + width + " (must be between 0 and 1000)");
        }
        Path ctl = bundle.resolve("ctl");
        // conmon holds the FIFO open for reading (and a dummy writer), so this open does not block
        try (OutputStream o = Files.newOutputStream(ctl, StandardOpenOption.WRITE)) {
            o.write(("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw new dev.wharf.base.error.ConflictException("container has no terminal control: " + bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Launches conmon in exec mode for a process in a running container; the caller connects the
     * attach socket ({@link ConmonExec#attach()}) and then calls {@link ConmonExec#start()}.
     */
    @Override
    public ConmonExec exec(ExecLaunch l) {
        ConmonExec e = ConmonExec.launch(cfg, l);
        try {
            e.awaitAttachReady();
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** {@code runc pause} (freezer). */
    @Override
    public void pause(ContainerId id) {
        runc.pause(id);
    }

    /** {@code runc resume}. */
    @Override
    public void resume(ContainerId id) {
        runc.resume(id);
    }

    /** {@code runc ps id -- args}: the host's ps output for the container's processes. */
    @Override
    public String ps(ContainerId id, java.util.List<String> psArgs) {
        return runc.ps(id, psArgs);
    }

    /** {@code runc update --resources FILE id}: new cgroup limits for a running container. */
    @Override
    public void update(ContainerId id, Path resourcesJson) {
        runc.update(id, resourcesJson);
    }

    /** Connects to conmon's attach socket, {@code bundle/attach} ({@code --full-attach}). */
    @Override
    public AttachSocket attach(Path bundle) throws IOException {
        return ConmonAttachSocket.connect(bundle);
    }

    /** The pid conmon wrote to its pid file, if the file exists. */
    @Override
    public Optional<Integer> conmonPid(Path conmonPidFile) {
        return readPidFile(conmonPidFile);
    }

    /** The pid in a pid file; empty when the file is missing, empty or not a number. */
    static Optional<Integer> readPidFile(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is a live conmon (guards against pid reuse by checking its name). */
    @Override
    public boolean conmonAlive(int pid) {
        try {
            String comm = Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
            if (!comm.equals("conmon")) {
                return false;
            }
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
