package dev.wharf.engine.exec;

import dev.wharf.engine.container.ExecTarget;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Spec;
import dev.wharf.engine.spec.Capabilities;
import dev.wharf.runtime.spec.ResolvedUser;
import dev.wharf.engine.spec.SpecGenerator;
import dev.wharf.runtime.spec.UserResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI process of an exec: the container's own process (capabilities, rlimits,
 * no-new-privileges, user) with the exec's command, environment, directory, user and TTY.
 */
final class ExecProcess {

    private ExecProcess() {}

    static Process build(Spec container, ExecTarget t, ExecCreateRequest r) {
        Process base = container.process();
        Process.User user = base.user();
        if (r.user() != null && !r.user().isEmpty()) {
            ResolvedUser u = UserResolver.resolve(t.rootfs(), r.user());
            user = new Process.User(u.uid(), u.gid(), null,
                    u.additionalGids().isEmpty() ? null : u.additionalGids().stream().map(Integer::longValue).toList());
        }
        Process.Capabilities caps = base.capabilities();
        if (r.privileged()) {
            caps = SpecGenerator.capabilities(Capabilities.hostBounding(), (int) user.uid());
        } else if (user.uid() != base.user().uid() && caps != null) {
            caps = SpecGenerator.capabilities(caps.bounding(), (int) user.uid());
        }
        String cwd = r.workingDir() != null && !r.workingDir().isEmpty() ? r.workingDir() : base.cwd();
        Process.ConsoleSize size = null;
        if (r.tty() && r.consoleSize() != null && r.consoleSize().size() == 2 && r.consoleSize().get(0) > 0) {
            size = new Process.ConsoleSize(r.consoleSize().get(0), r.consoleSize().get(1));
        }
        return new Process(r.tty() ? Boolean.TRUE : null, size, user, r.cmd(), env(base.env(), r.env(), r.tty()),
                cwd, caps, base.rlimits(), base.noNewPrivileges(), base.apparmorProfile(), base.oomScoreAdj(),
                base.selinuxLabel());
    }

    /** The container's environment, with the exec's variables replacing those of the same name. */
    static List<String> env(List<String> base, List<String> extra, boolean tty) {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<String> l : List.of(base == null ? List.<String>of() : base,
                extra == null ? List.<String>of() : extra)) {
            for (String e : l) {
                int eq = e.indexOf('=');
                out.put(eq < 0 ? e : e.substring(0, eq), e);
            }
        }
        if (tty) {
            out.putIfAbsent("TERM", "TERM=xterm");
        }
        return List.copyOf(out.values());
    }
}
