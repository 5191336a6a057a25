package dev.wharf.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.id.ContainerId;
import dev.wharf.runtime.sys.Pidfd;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What runc 1.1 does for {@code kill} and for {@code delete} of a stopped container, done in the
 * daemon when runc's own {@code state.json} shows it is safe: each spares a runc process (20-80 ms
 * on this machine) on every stop and every exit. Whatever is unusual is left to runc, which then
 * answers as it always did: no state, poststop hooks, a PID namespace the container shares (its
 * init's death does not take the other processes with it), a cgroup that is not empty.
 */
final class RuncShortcuts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIGKILL = 9;

    private final Path root;
    private final Path cgroupRoot;

    /** {@code root} is runc's {@code --root}; cgroups outside {@code cgroupRoot} are left to runc. */
    RuncShortcuts(Path root, Path cgroupRoot) {
        this.root = root;
        this.cgroupRoot = cgroupRoot;
    }

    /** The parts of {@code state.json} these shortcuts need. */
    record State(int initPid, long initStart, boolean ownPidNamespace, boolean hooks, Set<Path> cgroups,
            List<Path> freezeFiles) {
    }

    /**
     * {@code runc kill [--all] id signal}: the init gets the signal through a pidfd after its start
     * time is checked, as runc checks it. {@code --all} only for SIGKILL in the container's own PID
     * namespace, where the kernel kills every other process when the init dies.
     *
     * @return false when nothing was sent (runc must do it, or say why it cannot)
     */
    boolean kill(ContainerId id, int signal, boolean all) {
        State s = state(id);
        if (s == null || all && !(signal == SIGKILL && s.ownPidNamespace()) || frozen(s)) {
            return false; // runc thaws a paused container for SIGKILL, as it must on cgroup v1
        }
        if (Pidfd.signal(s.initPid(), s.initStart(), signal)) {
            return true;
        }
        // SIGKILL to a whole container whose init has died: the kernel killed the rest of its PID
        // namespace with it, and runc would look for processes to kill and find none
        return all && !Pidfd.alive(s.initPid(), s.initStart());
    }

    /**
     * {@code runc delete} of a container whose init has exited: its cgroups and its state directory
     * removed.
     *
     * @return false when nothing was done (runc must do it)
     */
    boolean deleteStopped(ContainerId id) {
        State s = state(id);
        if (s == null || s.hooks() || !s.ownPidNamespace() || Pidfd.alive(s.initPid(), s.initStart())) {
            return false;
        }
        for (Path cg : s.cgroups()) {
            if (!cg.normalize().startsWith(cgroupRoot) || cg.normalize().equals(cgroupRoot)) {
                return false;
            }
        }
        for (Path cg : s.cgroups()) {
            try {
                Files.delete(cg); // rmdir: cgroupfs removes its control files with the directory
            } catch (NoSuchFileException e) {
                // cpu and cpuacct can be one hierarchy: removed through the other name already
            } catch (IOException e) {
                return false; // busy: processes or child cgroups remain; runc kills and retries
            }
        }
        try (Stream<Path> walk = Files.walk(root.resolve(id.value()))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return !Files.exists(root.resolve(id.value()));
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    /** Whether the container's cgroup is frozen (paused): v1's freezer.state, v2's cgroup.freeze. */
    private static boolean frozen(State s) {
        for (Path f : s.freezeFiles()) {
            try {
                String v = Files.readString(f).strip();
                if (!v.equals("THAWED") && !v.equals("0")) {
                    return true;
                }
            } catch (IOException e) {
                // no such controller file here
            }
        }
        return false;
    }

    /** runc's state of {@code id}, or null when there is none or it cannot be read. */
    State state(ContainerId id) {
        JsonNode st;
        try {
            st = JSON.readTree(root.resolve(id.value()).resolve("state.json").toFile());
        } catch (IOException e) {
            return null;
        }
        int pid = st.path("init_process_pid").asInt(0);
        long start = st.path("init_process_start").asLong(-1);
        if (pid <= 0 || start < 0) {
            return null;
        }
        JsonNode config = st.path("config");
        boolean ownPid = false;
        for (JsonNode ns : config.path("namespaces")) {
            if (ns.path("type").asText().equals("NEWPID") && ns.path("path").asText("").isEmpty()) {
                ownPid = true;
            }
        }
        boolean hooks = false;
        for (JsonNode h : config.path("Hooks")) {
            hooks |= !h.isEmpty();
        }
        Set<Path> cgroups = new LinkedHashSet<>();
        List<Path> freezeFiles = new ArrayList<>();
        st.path("cgroup_paths").properties().forEach(e -> {
            Path p = Path.of(e.getValue().asText());
            cgroups.add(p);
            if (e.getKey().equals("freezer")) {
                freezeFiles.add(p.resolve("freezer.state"));
            } else if (e.getKey().isEmpty()) { // the unified hierarchy (v2, or hybrid's)
                freezeFiles.add(p.resolve("cgroup.freeze"));
            }
        });
        return new State(pid, start, ownPid, hooks, cgroups, freezeFiles);
    }
}
