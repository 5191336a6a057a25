package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code linux}: Linux-specific configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Linux(
        @JsonProperty("namespaces") List<Namespace> namespaces,
        @JsonProperty("uidMappings") List<IdMapping> uidMappings,
        @JsonProperty("gidMappings") List<IdMapping> gidMappings,
        @JsonProperty("devices") List<Device> devices,
        @JsonProperty("cgroupsPath") String cgroupsPath,
        @JsonProperty("resources") Resources resources,
        @JsonProperty("sysctl") Map<String, String> sysctl,
        @JsonProperty("rootfsPropagation") String rootfsPropagation,
        @JsonProperty("maskedPaths") List<String> maskedPaths,
        @JsonProperty("readonlyPaths") List<String> readonlyPaths,
        @JsonProperty("mountLabel") String mountLabel,
        @JsonProperty("seccomp") LinuxSeccomp seccomp) {

    /** Without a seccomp filter. */
    public Linux(List<Namespace> namespaces, List<IdMapping> uidMappings, List<IdMapping> gidMappings,
            List<Device> devices, String cgroupsPath, Resources resources, Map<String, String> sysctl,
            String rootfsPropagation, List<String> maskedPaths, List<String> readonlyPaths, String mountLabel) {
        this(namespaces, uidMappings, gidMappings, devices, cgroupsPath, resources, sysctl, rootfsPropagation,
                maskedPaths, readonlyPaths, mountLabel, null);
    }

    public Linux withSeccomp(LinuxSeccomp s) {
        return new Linux(namespaces, uidMappings, gidMappings, devices, cgroupsPath, resources, sysctl,
                rootfsPropagation, maskedPaths, readonlyPaths, mountLabel, s);
    }

    public Linux withResources(Resources r) {
        return new Linux(namespaces, uidMappings, gidMappings, devices, cgroupsPath, r, sysctl, rootfsPropagation,
                maskedPaths, readonlyPaths, mountLabel, seccomp);
    }

    public Linux withNamespaces(List<Namespace> n) {
        return new Linux(n, uidMappings, gidMappings, devices, cgroupsPath, resources, sysctl, rootfsPropagation,
                maskedPaths, readonlyPaths, mountLabel, seccomp);
    }

    public Linux withSysctl(Map<String, String> s) {
        return new Linux(namespaces, uidMappings, gidMappings, devices, cgroupsPath, resources, s, rootfsPropagation,
                maskedPaths, readonlyPaths, mountLabel, seccomp);
    }

    /** {@code linux.namespaces[]}: type is pid, network, mount, ipc, uts, user or cgroup; path joins one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(@JsonProperty("type") String type, @JsonProperty("path") String path) {
        public static Namespace of(String type) {
            return new Namespace(type, null);
        }
    }

    /** {@code linux.uidMappings[]} and {@code gidMappings[]}. */
    public record IdMapping(
            @JsonProperty("containerID") long containerId,
            @JsonProperty("hostID") long hostId,
            @JsonProperty("size") long size) {}

    /** {@code linux.devices[]}: a device node created in the container. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(
            @JsonProperty("path") String path,
            @JsonProperty("type") String type,
            @JsonProperty("major") long major,
            @JsonProperty("minor") long minor,
            @JsonProperty("fileMode") Integer fileMode,
            @JsonProperty("uid") Long uid,
            @JsonProperty("gid") Long gid) {}
}
