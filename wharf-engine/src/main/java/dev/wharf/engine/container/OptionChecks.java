package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The HostConfig options Wharf cannot honour on this host: each is refused with Docker's error
 * (a 400 that makes nothing) or, where Docker runs the container anyway, reported in create's
 * {@code Warnings} — never silently dropped. What Wharf applies is applied elsewhere
 * ({@link HostConfinement}, {@link ResourceSupport}); this class only says no, or says so.
 */
final class OptionChecks {

    private OptionChecks() {
    }

    /** Refuses what cannot run; returns the warnings for what runs without being applied. */
    static List<String> check(HostConfig hc, boolean appArmorHost, boolean selinuxHost) {
        Map<String, Object> o = hc.other();
        List<String> w = new ArrayList<>();
        String runtime = hc.runtime();
        if (runtime != null && !runtime.isEmpty() && !runtime.equals("runc")) {
            throw new InvalidArgumentException("unknown or invalid runtime name: " + runtime);
        }
        String isolation = str(o.get("Isolation"));
        if (!isolation.isEmpty() && !isolation.equals("default")) {
            throw new InvalidArgumentException("invalid isolation: \"" + isolation + "\" - linux only supports "
                    + "'default'");
        }
        if (num(o.get("IOMaximumBandwidth")) != 0 || num(o.get("IOMaximumIOps")) != 0) {
            throw new InvalidArgumentException("Invalid QoS settings: linux does not support Maximum IO Bandwidth "
                    + "or Maximum IO IOps");
        }
        if (o.get("StorageOpt") instanceof Map<?, ?> so && !so.isEmpty()) {
            throw new InvalidArgumentException("--storage-opt is supported only for overlay over xfs with 'pquota' "
                    + "mount option");
        }
        String userns = str(o.get("UsernsMode"));
        if (!userns.isEmpty() && !userns.equals("host")) {
            throw new InvalidArgumentException("invalid USER mode: " + userns);
        }
        if (o.get("DeviceRequests") instanceof Collection<?> requests) {
            for (Object r : requests) {
                if (r instanceof Map<?, ?> req) {
                    throw new InvalidArgumentException("could not select device driver \"" + str(req.get("Driver"))
                            + "\" with capabilities: " + capabilities(req.get("Capabilities")));
                }
            }
        }
        if (num(o.get("ShmSize")) < 0 || hc.shmSize() != null && hc.shmSize() < 0) {
            throw new InvalidArgumentException("SHM size can not be less than 0");
        }
        long oomAdj = num(o.get("OomScoreAdj"));
        if (oomAdj < -1000 || oomAdj > 1000) {
            throw new InvalidArgumentException("Invalid value " + oomAdj + ", range for oom score adj is [-1000, 1000]");
        }
        if (num(o.get("KernelMemory")) > 0) {
            w.add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
        }
        if (num(o.get("CpuCount")) > 0) {
            w.add("linux does not support CPU count. Count discarded.");
        }
        for (Object opt : o.get("SecurityOpt") instanceof Collection<?> c ? c : List.of()) {
            String s = String.valueOf(opt).replaceFirst(":", "=");
            if (s.startsWith("apparmor=") && !s.equals("apparmor=unconfined") && !appArmorHost) {
                w.add("AppArmor is not enabled on this host: security option \"" + opt + "\" discarded.");
            } else if (s.startsWith("apparmor=") && !s.equals("apparmor=unconfined")) {
                w.add("Wharf loads no AppArmor profiles: security option \"" + opt + "\" discarded.");
            } else if (s.startsWith("label=") && !s.equals("label=disable") && !selinuxHost) {
                w.add("SELinux is not enabled on this host: security option \"" + opt + "\" discarded.");
            } else if (s.startsWith("label=") && !s.equals("label=disable")) {
                w.add("Wharf applies no SELinux labels: security option \"" + opt + "\" discarded.");
            }
        }
        return w;
    }

    /** Go's {@code %v} of a {@code [][]string}: {@code [[gpu] [compute utility]]}. */
    private static String capabilities(Object caps) {
        StringBuilder b = new StringBuilder("[");
        if (caps instanceof Collection<?> outer) {
            boolean first = true;
            for (Object inner : outer) {
                b.append(first ? "" : " ").append('[');
                if (inner instanceof Collection<?> in) {
                    b.append(String.join(" ", in.stream().map(String::valueOf).toList()));
                }
                b.append(']');
                first = false;
            }
        }
        return b.append(']').toString();
    }

    private static long num(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String str(Object v) {
        return v instanceof String s ? s : "";
    }
}
