package dev.wharf.engine.system;

import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.system.VersionResponse;
import dev.wharf.runtime.cgroup.CgroupSupport;
import dev.wharf.runtime.sys.HostFacts;
import dev.wharf.runtime.cgroup.Cgroups;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.wharf.engine.event.EventService;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    /** When the engine's jar was built (its modification time), as Docker's {@code BuildTime} has it. */
    private static final String BUILD_TIME = buildTime();

    private static String buildTime() {
        try {
            Path jar = Path.of(SystemService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx")
                    .format(Files.getLastModifiedTime(jar).toInstant().atOffset(ZoneOffset.UTC));
        } catch (URISyntaxException | IOException | RuntimeException e) { // no code source: ""
            return "";
        }
    }

    public VersionResponse version() {
        String kernel = HostFacts.kernel();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", API_VERSION);
        details.put("Arch", goArch());
        details.put("BuildTime", BUILD_TIME);
        details.put("Experimental", "false");
        details.put("GitCommit", "wharf");
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("KernelVersion", kernel);
        details.put("MinAPIVersion", MIN_API_VERSION);
        details.put("Os", "linux");
        return new VersionResponse(Map.of("Name", "Wharf Engine"),
                List.of(new VersionResponse.Component("Engine", ENGINE_VERSION, details)), ENGINE_VERSION,
                API_VERSION, MIN_API_VERSION, "wharf", "java" + Runtime.version().feature(), "linux", goArch(), kernel,
                BUILD_TIME);
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
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", HostFacts.backingFilesystem(dataRoot)),
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
        HostFacts host = HostFacts.read();
        m.put("IPv4Forwarding", host.ipv4Forwarding());
        m.put("BridgeNfIptables", host.bridgeNfIptables());
        m.put("BridgeNfIp6tables", host.bridgeNfIp6tables());
        m.put("Debug", false);
        m.put("NFd", host.openFiles());
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", Instant.now().toString());
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", Cgroups.isV2() ? "2" : "1");
        m.put("NEventsListener", events.listeners());
        m.put("KernelVersion", host.kernelVersion());
        m.put("OperatingSystem", host.operatingSystem());
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", machine());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", images.registryConfig());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", host.memTotal());
        m.put("DockerRootDir", dataRoot.toString());
        m.put("Name", host.hostname());
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
}
