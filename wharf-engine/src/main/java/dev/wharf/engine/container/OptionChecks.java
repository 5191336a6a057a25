package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.List;

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
        HostOptions h = HostOptions.of(hc);
        List<String> w = new ArrayList<>();
        String runtime = hc.runtime();
        if (runtime != null && !runtime.isEmpty() && !runtime.equals("runc")) {
            throw new InvalidArgumentException("unknown or invalid runtime name: " + runtime);
        }
        String isolation = h.isolation();
        if (!isolation.isEmpty() && !isolation.equals("default")) {
            throw new InvalidArgumentException("invalid isolation: \"" + isolation + "\" - linux only supports "
                    + "'default'");
        }
        if (h.ioMaximumBandwidth() != 0 || h.ioMaximumIOps() != 0) {
            throw new InvalidArgumentException("Invalid QoS settings: linux does not support Maximum IO Bandwidth "
                    + "or Maximum IO IOps");
        }
        if (!h.storageOpt().isEmpty()) {
            throw new InvalidArgumentException("--storage-opt is supported only for overlay over xfs with 'pquota' "
                    + "mount option");
        }
        String userns = h.usernsMode();
        if (!userns.isEmpty() && !userns.equals("host")) {
            throw new InvalidArgumentException("invalid USER mode: " + userns);
        }
        if (!h.deviceRequests().isEmpty()) {
            HostOptions.DeviceRequest req = h.deviceRequests().getFirst();
            throw new InvalidArgumentException("could not select device driver \"" + req.driver()
                    + "\" with capabilities: " + capabilities(req.capabilities()));
        }
        if (hc.shmSize() != null && hc.shmSize() < 0) {
            throw new InvalidArgumentException("SHM size can not be less than 0");
        }
        long oomAdj = h.oomScoreAdj();
        if (oomAdj < -1000 || oomAdj > 1000) {
            throw new InvalidArgumentException("Invalid value " + oomAdj + ", range for oom score adj is [-1000, 1000]");
        }
        if (h.limits().kernelMemory() > 0) {
            w.add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
        }
        if (h.limits().cpuCount() > 0) {
            w.add("linux does not support CPU count. Count discarded.");
        }
        if (h.portBindings() != null) {
            h.portBindings().forEach((port, bindings) -> {
                for (var b : bindings == null ? List.<dev.wharf.engine.network.PortBinding>of() : bindings) {
                    if (b.hostIp().contains(":")) {
                        w.add("IPv6 port binding [" + b.hostIp() + "]:" + b.hostPort() + "->" + port
                                + " not published: Wharf publishes ports on IPv4 host addresses only.");
                    }
                }
            });
        }
        for (String opt : h.securityOpt()) {
            String s = opt.replaceFirst(":", "=");
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
    private static String capabilities(List<List<String>> caps) {
        StringBuilder b = new StringBuilder("[");
        boolean first = true;
        for (List<String> inner : caps) {
            b.append(first ? "" : " ").append('[').append(String.join(" ", inner)).append(']');
            first = false;
        }
        return b.append(']').toString();
    }
}
