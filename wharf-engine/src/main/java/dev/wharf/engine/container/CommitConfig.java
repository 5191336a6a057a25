package dev.wharf.engine.container;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.oci.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run config of a committed image: the {@code POST /commit} body (docker-py's {@code conf=},
 * docker-java's commit command) laid over the container's config as moby's {@code merge} does it.
 * The body's user, working dir and stop signal win when set; its env, labels, exposed ports and
 * volumes are added to the container's (its values winning); its cmd and entrypoint replace the
 * container's, and with neither set the container's are kept.
 */
final class CommitConfig {

    private CommitConfig() {
    }

    static ImageConfig.RunConfig merge(ContainerConfig user, ContainerConfig container) {
        ContainerConfig u = user == null ? ContainerConfig.empty() : user;
        ContainerConfig c = container;
        List<String> cmd = u.cmd();
        List<String> entrypoint = u.entrypoint();
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = c.cmd();
            }
            if (entrypoint == null) {
                entrypoint = c.entrypoint();
            }
        }
        return new ImageConfig.RunConfig(set(u.user()) ? u.user() : c.user(),
                union(c.exposedPorts(), u.exposedPorts()), env(u.env(), c.env()), entrypoint, cmd,
                union(c.volumes(), u.volumes()), set(u.workingDir()) ? u.workingDir() : c.workingDir(),
                union(c.labels(), u.labels()), set(u.stopSignal()) ? u.stopSignal() : c.stopSignal(),
                null, null, null);
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }

    /** The body's variables, then the container's whose names the body does not set. */
    private static List<String> env(List<String> user, List<String> container) {
        if (user == null || user.isEmpty()) {
            return container;
        }
        List<String> out = new ArrayList<>(user);
        for (String e : container == null ? List.<String>of() : container) {
            String key = e.split("=", 2)[0];
            if (user.stream().noneMatch(v -> v.split("=", 2)[0].equals(key))) {
                out.add(e);
            }
        }
        return out;
    }

    private static <V> Map<String, V> union(Map<String, V> base, Map<String, V> over) {
        if (over == null || over.isEmpty()) {
            return base;
        }
        Map<String, V> out = new LinkedHashMap<>(base == null ? Map.of() : base);
        out.putAll(over);
        return out;
    }
}
