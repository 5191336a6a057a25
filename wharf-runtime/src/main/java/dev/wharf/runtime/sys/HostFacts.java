package dev.wharf.runtime.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code /info} and {@code /version} say about the host, read from {@code /proc} and
 * {@code /etc/os-release} at the moment of asking (the engine reads no host files itself).
 *
 * @param kernelVersion {@code /proc/sys/kernel/osrelease}, or the JVM's {@code os.version}
 * @param operatingSystem {@code PRETTY_NAME} of {@code /etc/os-release}, or "Linux"
 * @param hostname {@code /proc/sys/kernel/hostname}, or "localhost"
 * @param memTotal {@code MemTotal} of {@code /proc/meminfo} in bytes, 0 when unknown
 * @param ipv4Forwarding {@code net.ipv4.ip_forward} is 1
 * @param bridgeNfIptables {@code net.bridge.bridge-nf-call-iptables} is 1
 * @param bridgeNfIp6tables {@code net.bridge.bridge-nf-call-ip6tables} is 1
 * @param openFiles the daemon's own open file descriptors
 */
public record HostFacts(String kernelVersion, String operatingSystem, String hostname, long memTotal,
        boolean ipv4Forwarding, boolean bridgeNfIptables, boolean bridgeNfIp6tables, int openFiles) {

    /** Reads them now. */
    public static HostFacts read() {
        return new HostFacts(kernel(), readOsName(), readHostname(), readMemTotal(),
                "1".equals(read("/proc/sys/net/ipv4/ip_forward")),
                "1".equals(read("/proc/sys/net/bridge/bridge-nf-call-iptables")),
                "1".equals(read("/proc/sys/net/bridge/bridge-nf-call-ip6tables")), countOpenFiles());
    }

    /** The kernel's release alone (for {@code /version}, which needs nothing else). */
    public static String kernel() {
        String k = read("/proc/sys/kernel/osrelease");
        return k.isEmpty() ? System.getProperty("os.version") : k;
    }

    /** The lines of the host's {@code /etc/resolv.conf}; none when it has none. */
    public static List<String> resolvConf() {
        try {
            return Files.readAllLines(Path.of("/etc/resolv.conf"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The file system under {@code dir} as Docker names it ("extfs" for ext2/3/4). */
    public static String backingFilesystem(Path dir) {
        try {
            String t = Files.getFileStore(dir).type();
            return t.startsWith("ext") ? "extfs" : t;
        } catch (IOException e) {
            return "<unknown>";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String readOsName() {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    return l.substring(12).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "Linux";
    }

    private static String readHostname() {
        String h = read("/proc/sys/kernel/hostname");
        return h.isEmpty() ? "localhost" : h;
    }

    private static long readMemTotal() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            for (String l : lines) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return 0;
    }

    private static int countOpenFiles() {
        String[] l = Path.of("/proc/self/fd").toFile().list();
        return l == null ? 0 : l.length;
    }
}
