package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.network.PortBinding;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a {@link HostConfig} the engine interprets, as typed values, decoded in this one
 * place from the wire record's uninterpreted map ({@link HostConfig#other()}, which stays as it
 * was given so that inspect echoes it, and so that configs stored by earlier versions load).
 * The rest of the engine reads these fields, never the map.
 *
 * <p>Decoding is lenient, as the engine always was: a value of the wrong JSON type reads as
 * absent (0, empty, null), except where a later check must name the bad value in its 400
 * ({@link Device#invalid}, {@link Ulimit#invalid}, {@link #cgroupnsMode}). The integer fields
 * Docker's Go decoder would refuse are refused by {@link #checkIntegers}, with its message.
 */
record HostOptions(
        List<String> capAdd,
        List<String> capDrop,
        List<String> securityOpt,
        List<String> groupAdd,
        boolean init,
        long oomScoreAdj,
        List<Ulimit> ulimits,
        List<Device> devices,
        List<String> deviceCgroupRules,
        // As given (any JSON value as text), null when absent: an unknown mode is a 400 naming it.
        String cgroupnsMode,
        // The namespace modes when given as strings (host, container:<ref>, ...), else null.
        String ipcMode,
        String pidMode,
        String utsMode,
        Map<String, String> sysctls,
        // Null when not recorded: the spec's defaults apply.
        List<String> maskedPaths,
        List<String> readonlyPaths,
        Map<String, String> annotations,
        // Null when empty.
        String cgroupParent,
        Limits limits,
        List<String> links,
        List<String> dns,
        List<String> dnsSearch,
        List<String> dnsOptions,
        List<String> extraHosts,
        Map<String, List<PortBinding>> portBindings,
        boolean publishAllPorts,
        // As given ("" when absent).
        String isolation,
        // The options Wharf refuses or warns about (OptionChecks); "" or empty when not given.
        String usernsMode,
        String volumeDriver,
        Map<String, String> storageOpt,
        long ioMaximumBandwidth,
        long ioMaximumIOps,
        List<DeviceRequest> deviceRequests,
        // The --mount entries; --tmpfs path to options; the --volumes-from references.
        List<Mount> mounts,
        Map<String, String> tmpfs,
        List<String> volumesFrom) {

    /** The JSON integer fields of HostConfig whose type Docker's decoder checks. */
    private static final List<String> INTEGERS = List.of("Memory", "MemorySwap", "MemoryReservation",
            "MemorySwappiness", "NanoCpus", "CpuShares", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
            "CpuRealtimeRuntime", "BlkioWeight", "OomScoreAdj", "PidsLimit", "KernelMemory", "CpuCount",
            "CpuPercent");

    /** The cgroup limits asked for; 0 (or null where "not set" differs from 0) when not given. */
    record Limits(long memory, long memorySwap, long memoryReservation, Long memorySwappiness,
            Boolean oomKillDisable, long kernelMemory, long kernelMemoryTcp, long nanoCpus, long cpuShares,
            long cpuPeriod, long cpuQuota, String cpusetCpus, String cpusetMems, long cpuRealtimePeriod,
            long cpuRealtimeRuntime, Long pidsLimit, long blkioWeight, List<BlkioDevice> blkioWeightDevice,
            List<BlkioDevice> blkioDeviceReadBps, List<BlkioDevice> blkioDeviceWriteBps,
            List<BlkioDevice> blkioDeviceReadIOps, List<BlkioDevice> blkioDeviceWriteIOps, long cpuCount,
            long cpuPercent) {
    }

    /** One {@code {"Path": ..., "Weight"|"Rate": ...}} entry; {@code path} is "" when not a string. */
    record BlkioDevice(String path, long value) {
    }

    /** One {@code --device}; {@code invalid} is the entry as given when it names no host path, else null. */
    record Device(String pathOnHost, String pathInContainer, String cgroupPermissions, String invalid) {
    }

    /** One {@code --ulimit}; {@code invalid} is the entry as given when it is not an object, else null. */
    record Ulimit(String name, long soft, long hard, String invalid) {
    }

    /** One {@code --gpus} request (the entries that are objects): its driver ("" when not a string) and capabilities. */
    record DeviceRequest(String driver, List<List<String>> capabilities) {
    }

    /**
     * One {@code HostConfig.Mounts} entry as {@code --mount} sends it ({@code --tmpfs} as one of type
     * tmpfs); text fields are "" when not given, {@code target} falls back to {@code Destination}.
     */
    record Mount(String type, String source, String target, boolean readOnly, boolean createMountpoint,
            String propagation, boolean noCopy, String subpath, long tmpfsSizeBytes, int tmpfsMode,
            String tmpfsOptions) {

        /** {@code --tmpfs path:options}. */
        static Mount tmpfs(String target, String options) {
            return new Mount("tmpfs", "", target, false, false, "", false, "", 0, 0, options);
        }
    }

    /** The interpreted keys of {@code hc}. */
    static HostOptions of(HostConfig hc) {
        return decode(hc == null ? Map.of() : hc.other());
    }

    /** The interpreted keys of a HostConfig's uninterpreted map. */
    static HostOptions decode(Map<String, Object> o) {
        return new HostOptions(strings(o.get("CapAdd")), strings(o.get("CapDrop")), strings(o.get("SecurityOpt")),
                strings(o.get("GroupAdd")), Boolean.TRUE.equals(o.get("Init")), num(o.get("OomScoreAdj")),
                ulimits(o.get("Ulimits")), devices(o.get("Devices")), strings(o.get("DeviceCgroupRules")),
                o.get("CgroupnsMode") == null ? null : String.valueOf(o.get("CgroupnsMode")),
                string(o.get("IpcMode")), string(o.get("PidMode")), string(o.get("UTSMode")),
                textMap(o.get("Sysctls")), o.get("MaskedPaths") instanceof List<?> ? strings(o.get("MaskedPaths"))
                        : null,
                o.get("ReadonlyPaths") instanceof List<?> ? strings(o.get("ReadonlyPaths")) : null,
                textMap(o.get("Annotations")), text(o.get("CgroupParent")), limits(o), strings(o.get("Links")),
                strings(o.get("Dns")), strings(o.get("DnsSearch")), strings(o.get("DnsOptions")),
                strings(o.get("ExtraHosts")), PortBinding.decode(o.get("PortBindings")), Boolean.TRUE.equals(o.get("PublishAllPorts")),
                o.get("Isolation") == null ? "" : o.get("Isolation").toString(), stringOrEmpty(o.get("UsernsMode")),
                stringOrEmpty(o.get("VolumeDriver")), textMap(o.get("StorageOpt")), num(o.get("IOMaximumBandwidth")),
                num(o.get("IOMaximumIOps")), deviceRequests(o.get("DeviceRequests")),
                list(o.get("Mounts")).stream().map(m -> mount(m instanceof Map<?, ?> x ? x : Map.of())).toList(),
                tmpfs(o.get("Tmpfs")), strings(o.get("VolumesFrom")));
    }

    /**
     * Refuses an integer field given as another JSON type, with the message of Docker's Go
     * decoder; the other checks of a create or update request read the typed values.
     */
    static void checkIntegers(HostConfig hc) {
        checkIntegers(hc.other());
    }

    static void checkIntegers(Map<String, Object> o) {
        for (String k : INTEGERS) {
            Object v = o.get(k);
            if (v != null && !(v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger)) {
                String kind = v instanceof Number ? "number " + v : v instanceof String ? "string"
                        : v instanceof Boolean ? "bool" : v instanceof List ? "array" : "object";
                throw new InvalidArgumentException("invalid JSON: json: cannot unmarshal " + kind
                        + " into Go struct field CreateRequest.HostConfig." + k + " of type int64");
            }
        }
    }

    /** Whether {@code --ipc host}. */
    boolean hostIpc() {
        return "host".equals(ipcMode);
    }

    /** Whether {@code --pid host}. */
    boolean hostPid() {
        return "host".equals(pidMode);
    }

    /** Whether {@code --uts host}. */
    boolean hostUts() {
        return "host".equals(utsMode);
    }

    private static Limits limits(Map<String, Object> o) {
        return new Limits(num(o.get("Memory")), num(o.get("MemorySwap")), num(o.get("MemoryReservation")),
                o.get("MemorySwappiness") instanceof Number n ? n.longValue() : null,
                o.get("OomKillDisable") instanceof Boolean b ? b : null, num(o.get("KernelMemory")),
                num(o.get("KernelMemoryTCP")), num(o.get("NanoCpus")), num(o.get("CpuShares")),
                num(o.get("CpuPeriod")), num(o.get("CpuQuota")), text(o.get("CpusetCpus")),
                text(o.get("CpusetMems")), num(o.get("CpuRealtimePeriod")), num(o.get("CpuRealtimeRuntime")),
                o.get("PidsLimit") instanceof Number n ? n.longValue() : null, num(o.get("BlkioWeight")),
                blkio(o.get("BlkioWeightDevice"), "Weight"), blkio(o.get("BlkioDeviceReadBps"), "Rate"),
                blkio(o.get("BlkioDeviceWriteBps"), "Rate"), blkio(o.get("BlkioDeviceReadIOps"), "Rate"),
                blkio(o.get("BlkioDeviceWriteIOps"), "Rate"), num(o.get("CpuCount")), num(o.get("CpuPercent")));
    }

    private static List<BlkioDevice> blkio(Object v, String valueKey) {
        List<BlkioDevice> out = new ArrayList<>();
        for (Object d : list(v)) {
            Map<?, ?> m = d instanceof Map<?, ?> x ? x : Map.of();
            out.add(new BlkioDevice(m.get("Path") instanceof String p ? p : "", num(m.get(valueKey))));
        }
        return List.copyOf(out);
    }

    private static List<Device> devices(Object v) {
        List<Device> out = new ArrayList<>();
        for (Object d : list(v)) {
            if (!(d instanceof Map<?, ?> m) || m.get("PathOnHost") == null) {
                out.add(new Device(null, null, null, String.valueOf(d)));
                continue;
            }
            Object inCtr = m.get("PathInContainer");
            Object perms = m.get("CgroupPermissions");
            out.add(new Device(String.valueOf(m.get("PathOnHost")),
                    inCtr == null || String.valueOf(inCtr).isEmpty() ? null : String.valueOf(inCtr),
                    perms == null ? "rwm" : String.valueOf(perms), null));
        }
        return List.copyOf(out);
    }

    /**
     * Refuses {@code Mounts}, {@code VolumesFrom} or {@code Tmpfs} of the wrong JSON type with the
     * messages create always gave; checked where create plans the mounts.
     */
    static void checkMountTypes(HostConfig hc) {
        Object mounts = hc.other().get("Mounts");
        if (mounts != null && !(mounts instanceof List)) {
            throw new InvalidArgumentException("HostConfig.Mounts must be a list");
        }
        Object from = hc.other().get("VolumesFrom");
        if (from != null && !(from instanceof List)) {
            throw new InvalidArgumentException("HostConfig.VolumesFrom must be a list");
        }
        Object tmpfs = hc.other().get("Tmpfs");
        if (tmpfs != null && !(tmpfs instanceof Map)) {
            throw new InvalidArgumentException("HostConfig.Tmpfs must be an object of path to options");
        }
    }

    /** One {@code Mounts} entry; option objects of the wrong type read as not given. */
    static Mount mount(Map<?, ?> m) {
        String target = text(m.get("Target"));
        Map<?, ?> bo = m.get("BindOptions") instanceof Map<?, ?> x ? x : Map.of();
        Map<?, ?> vo = m.get("VolumeOptions") instanceof Map<?, ?> x ? x : Map.of();
        Map<?, ?> to = m.get("TmpfsOptions") instanceof Map<?, ?> x ? x : Map.of();
        return new Mount(textOrEmpty(m.get("Type")), textOrEmpty(m.get("Source")),
                target == null ? textOrEmpty(m.get("Destination")) : target, Boolean.TRUE.equals(m.get("ReadOnly")),
                Boolean.TRUE.equals(bo.get("CreateMountpoint")), textOrEmpty(bo.get("Propagation")),
                Boolean.TRUE.equals(vo.get("NoCopy")), textOrEmpty(vo.get("Subpath")),
                to.get("SizeBytes") instanceof Number n && n.longValue() > 0 ? n.longValue() : 0,
                to.get("Mode") instanceof Number n && n.intValue() > 0 ? n.intValue() : 0,
                tmpfsOptions(to.get("Options")));
    }

    /**
     * {@code TmpfsOptions.Options} as the API has it, flags as one-item arrays and key-values as
     * two ({@code [["exec"], ["nr_inodes", "100"]]}), as a comma-separated option string.
     */
    private static String tmpfsOptions(Object o) {
        if (o instanceof String s) {
            return s;
        }
        List<String> out = new ArrayList<>();
        for (Object e : list(o)) {
            List<?> kv = list(e);
            if (kv.size() == 1 || kv.size() == 2) {
                out.add(kv.size() == 1 ? String.valueOf(kv.get(0)) : kv.get(0) + "=" + kv.get(1));
            } else {
                throw new InvalidArgumentException("invalid tmpfs option " + e + ": a flag or a key and a value");
            }
        }
        return String.join(",", out);
    }

    private static Map<String, String> tmpfs(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, o) -> out.put(String.valueOf(k), o == null ? "" : String.valueOf(o)));
        }
        return out;
    }

    private static List<DeviceRequest> deviceRequests(Object v) {
        List<DeviceRequest> out = new ArrayList<>();
        for (Object r : v instanceof Collection<?> c ? c : List.of()) {
            if (r instanceof Map<?, ?> m) {
                List<List<String>> caps = new ArrayList<>();
                for (Object inner : m.get("Capabilities") instanceof Collection<?> outer ? outer : List.of()) {
                    caps.add(inner instanceof Collection<?> in ? in.stream().map(String::valueOf).toList() : List.of());
                }
                out.add(new DeviceRequest(stringOrEmpty(m.get("Driver")), List.copyOf(caps)));
            }
        }
        return List.copyOf(out);
    }

    private static List<Ulimit> ulimits(Object v) {
        List<Ulimit> out = new ArrayList<>();
        for (Object u : list(v)) {
            out.add(u instanceof Map<?, ?> m
                    ? new Ulimit(String.valueOf(m.get("Name")), num(m.get("Soft")), num(m.get("Hard")), null)
                    : new Ulimit(null, 0, 0, String.valueOf(u)));
        }
        return List.copyOf(out);
    }

    // ---- the lenient readings of JSON values ----

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** Any value as text, null when absent or empty. */
    private static String text(Object o) {
        return o == null || String.valueOf(o).isEmpty() ? null : String.valueOf(o);
    }

    private static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    private static String textOrEmpty(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String stringOrEmpty(Object o) {
        return o instanceof String s ? s : "";
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    private static Map<String, String> textMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }
}
