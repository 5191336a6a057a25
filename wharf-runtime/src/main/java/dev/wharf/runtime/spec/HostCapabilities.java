package dev.wharf.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The kernel's capability names and the daemon's bounding set ({@code CapBnd} of /proc/self/status). */
public final class HostCapabilities {

    /** Every capability the kernel headers know, by bit number. */
    public static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private static volatile List<String> bounding;

    private HostCapabilities() {}

    /** The daemon's bounding set, read once from {@code /proc/self/status}; what --privileged grants. */
    public static List<String> bounding() {
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
}
