package dev.wharf.engine.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link SpecGenerator} needs to build a container's OCI spec. The engine resolves image
 * config, create request and daemon defaults into this; {@code cgroupsPath} and
 * {@code annotations} may be null; {@code cwd} null or empty means "/"; {@code privateCgroupns}
 * gives the container a cgroup namespace of its own ({@code --cgroupns private}).
 */
public record SpecInput(
        Path rootfs,
        boolean readonlyRootfs,
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        boolean terminal,
        String hostname,
        NetworkNamespace network,
        List<BindFile> binds,
        String cgroupsPath,
        boolean privateCgroupns,
        Map<String, String> annotations) {

    public SpecInput {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("no command specified");
        }
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
        binds = binds == null ? List.of() : List.copyOf(binds);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        if (network == null) {
            network = new NetworkNamespace.New();
        }
    }

    public SpecInput withArgs(List<String> a) {
        return new SpecInput(rootfs, readonlyRootfs, a, env, cwd, uid, gid, additionalGids, terminal, hostname,
                network, binds, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withEnv(List<String> e) {
        return new SpecInput(rootfs, readonlyRootfs, args, e, cwd, uid, gid, additionalGids, terminal, hostname,
                network, binds, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withTerminal(boolean t) {
        return new SpecInput(rootfs, readonlyRootfs, args, env, cwd, uid, gid, additionalGids, t, hostname,
                network, binds, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withNetwork(NetworkNamespace n) {
        return new SpecInput(rootfs, readonlyRootfs, args, env, cwd, uid, gid, additionalGids, terminal, hostname,
                n, binds, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withUser(int u, int g, List<Integer> extra) {
        return new SpecInput(rootfs, readonlyRootfs, args, env, cwd, u, g, extra, terminal, hostname,
                network, binds, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withBinds(List<BindFile> b) {
        return new SpecInput(rootfs, readonlyRootfs, args, env, cwd, uid, gid, additionalGids, terminal, hostname,
                network, b, cgroupsPath, privateCgroupns, annotations);
    }

    public SpecInput withPrivateCgroupns(boolean v) {
        return new SpecInput(rootfs, readonlyRootfs, args, env, cwd, uid, gid, additionalGids, terminal, hostname,
                network, binds, cgroupsPath, v, annotations);
    }
}
