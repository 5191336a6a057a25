package dev.wharf.engine.system;

import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.system.VersionResponse;
import dev.wharf.runtime.cgroup.CgroupSupport;
import dev.wharf.runtime.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.wharf.engine.event.EventService;
import dev.wharf.runtime.cgroup.CgroupSupport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /version} and {@code /info}: what this daemon is and what it holds. */
public final class SystemService {

    public static final String ENGINE_VERSION = "25.0.0-wharf";
    public static final String API_VERSION = "1.44";
    public static final String MIN_API_VERSION = "1.24";

    private final ContainerService containers;
    private final ImageService images;
    private final Path dataRoot;
    private final String id;
    private final EventService events;

    public SystemService(ContainerService containers, ImageService images, Path dataRoot, String id,
            EventService events) {
        this.containers = containers;
        this.images = images;
        this.dataRoot = dataRoot;
        this.id = id;
        this.events = events;
    }

    public VersionResponse version() {
        String kernel = kernel();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", API_VERSION);
        details.put("Arch", goArch());
        details.put("BuildTime", "");
        details.put("Experimental", "false");
        details.put("GitCommit", "wharf");
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("KernelVersion", kernel);
        details.put("MinAPIVersion", MIN_API_VERSION);
        details.put("Os", "linux");
        return new VersionResponse(Map.of("Name", "Wharf Engine"),
                List.of(new VersionResponse.Component("Engine", ENGINE_VERSION, details)), ENGINE_VERSION,
                API_VERSION, MIN_API_VERSION, "wharf", "java" + Runtime.version().feature(), "linux", goArch(), kernel,
                "");
    }

    public Map<String, Object> info() {
        Map<String, Integer> counts = containers.counts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id);
        m.put("Containers", counts.get("total"));
        m.put("ContainersRunning", counts.get("running"));
        m.put("ContainersPaused", counts.get("paused"));
        m.put("ContainersStopped", counts.get("stopped"));
        m.put("Images", images.count());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", backingFilesystem(dataRoot)),
                List.of("Supports d_type", "true"), List.of("Using metacopy", "false"),
                List.of("Native Overlay Diff", "true"), List.of("userxattr", "false")));
        Map<String, Object> plugins = new java.util.LinkedHashMap<>();
        plugins.put("Volume", List.of("local"));
        plugins.put("Network", List.of("bridge", "host", "null"));
        plugins.put("Authorization", null);
        plugins.put("Log", List.of("json-file", "local"));
        m.put("Plugins", plugins);
        CgroupSupport cg = CgroupSupport.host();
        m.put("MemoryLimit", cg.memoryLimit());
        m.put("SwapLimit", cg.swapLimit());
        m.put("KernelMemoryTCP", cg.kernelMemoryTcp());
        m.put("CpuCfsPeriod", cg.cpuCfs());
        m.put("CpuCfsQuota", cg.cpuCfs());
        m.put("CPUShares", cg.cpuShares());
        m.put("CPUSet", cg.cpuset());
        m.put("PidsLimit", cg.pidsLimit());
        m.put("OomKillDisable", cg.oomKillDisable());
        m.put("IPv4Forwarding", "1".equals(read("/proc/sys/net/ipv4/ip_forward")));
        m.put("BridgeNfIptables", "1".equals(read("/proc/sys/net/bridge/bridge-nf-call-iptables")));
        m.put("BridgeNfIp6tables", "1".equals(read("/proc/sys/net/bridge/bridge-nf-call-ip6tables")));
        m.put("Debug", false);
        m.put("NFd", fdCount());
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", Instant.now().toString());
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", Cgroups.isV2() ? "2" : "1");
        m.put("NEventsListener", events.listeners());
        m.put("KernelVersion", kernel());
        m.put("OperatingSystem", osName());
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", machine());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", images.registryConfig());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", memTotal());
        m.put("DockerRootDir", dataRoot.toString());
        m.put("Name", hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", ENGINE_VERSION);
        m.put("Runtimes", Map.of("runc", Map.of("path", "runc")));
        m.put("DefaultRuntime", "runc");
        m.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable", false,
                "Error", "", "RemoteManagers", List.of()));
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "tini");
        m.put("SecurityOptions", List.of("name=cgroupns"));
        m.put("Warnings", cg.infoWarnings());
        return m;
    }

    /** The file system under the data root as Docker names it ("extfs" for ext2/3/4). */
    static String backingFilesystem(Path dir) {
        try {
            String t = Files.getFileStore(dir).type();
            return t.startsWith("ext") ? "extfs" : t;
        } catch (IOException e) {
            return "<unknown>";
        }
    }

    /** The architecture as Go names it ({@code GOARCH}), for {@code /version}. */
    static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    /** The machine as {@code uname -m} prints it. */
    static String machine() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> a;
        };
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    private static String osName() {
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

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static long memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return 0;
    }

    private static int fdCount() {
        String[] l = Path.of("/proc/self/fd").toFile().list();
        return l == null ? 0 : l.length;
    }
}
