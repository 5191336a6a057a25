package dev.wharf.runtime.spec;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Capability names, the host's bounding set, and Docker's {@code --cap-add}/{@code --cap-drop}
 * arithmetic (moby {@code oci/caps/utils.go} {@code TweakCapabilities}).
 */
public final class Capabilities {

    /** Every capability the kernel headers know, by bit number. */
    static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private static volatile List<String> bounding;

    private Capabilities() {}

    /** The daemon's bounding set, read once from {@code /proc/self/status}; what --privileged grants. */
    public static List<String> hostBounding() {
        List<String> b = bounding;
        if (b == null) {
            b = fromMask(readCapBnd(Path.of("/proc/self/status")));
            bounding = b;
        }
        return b;
    }

    static long readCapBnd(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to Docker's defaults
        }
        return -1L;
    }

    static List<String> fromMask(long mask) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < ALL.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                out.add(ALL.get(bit));
            }
        }
        return List.copyOf(out);
    }

    /** {@code chown} or {@code CAP_CHOWN} (any case) to {@code CAP_CHOWN}; {@code ALL} stays. */
    static String normalize(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.equals("ALL")) {
            return n;
        }
        if (!n.startsWith("CAP_")) {
            n = "CAP_" + n;
        }
        if (!ALL.contains(n)) {
            throw new InvalidArgumentException("invalid capability: " + name.strip());
        }
        return n;
    }

    /**
     * Docker's rules: start from {@code base}; drop ALL clears it; add ALL means the bounding set;
     * adds win over drops of the same name. Capabilities the host cannot grant are refused.
     */
    public static List<String> tweak(List<String> base, List<String> add, List<String> drop, List<String> host) {
        List<String> adds = add == null ? List.of() : add.stream().map(Capabilities::normalize).toList();
        List<String> drops = drop == null ? List.of() : drop.stream().map(Capabilities::normalize).toList();
        Set<String> caps = new LinkedHashSet<>();
        if (!drops.contains("ALL")) {
            for (String c : base) {
                if (!drops.contains(c)) {
                    caps.add(c);
                }
            }
        }
        if (adds.contains("ALL")) {
            caps.addAll(host);
        }
        for (String c : adds) {
            if (c.equals("ALL")) {
                continue;
            }
            if (!host.contains(c)) {
                throw new InvalidArgumentException("capability " + c
                        + " is not in this host's bounding set, so no container can hold it");
            }
            caps.add(c);
        }
        return List.copyOf(caps);
    }
}
