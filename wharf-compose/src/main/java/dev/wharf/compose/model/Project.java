package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, merged, interpolated and validated compose project. Services are in name order and
 * hold only those enabled by the active profiles; {@code disabled} names the others (they are
 * not orphans).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Project(
        @JsonProperty("name") String name,
        @JsonIgnore Path workingDir,
        @JsonIgnore List<Path> configFiles,
        @JsonIgnore List<Path> envFiles,
        @JsonProperty("services") Map<String, Service> services,
        @JsonProperty("networks") Map<String, NetworkSpec> networks,
        @JsonProperty("volumes") Map<String, VolumeSpec> volumes,
        @JsonProperty("secrets") Map<String, FileObject> secrets,
        @JsonProperty("configs") Map<String, FileObject> configs,
        @JsonIgnore List<String> disabled,
        @JsonIgnore List<String> warnings) {

    public Project {
        services = new LinkedHashMap<>(services);
        networks = new LinkedHashMap<>(networks);
        volumes = new LinkedHashMap<>(volumes);
        secrets = new LinkedHashMap<>(secrets);
        configs = new LinkedHashMap<>(configs);
        disabled = List.copyOf(disabled);
        warnings = List.copyOf(warnings);
        configFiles = List.copyOf(configFiles);
        envFiles = List.copyOf(envFiles);
    }

    public Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no such service: " + name);
        }
        return s;
    }

    /** The services named, or all when none is named; an unknown name is an error. */
    public List<Service> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(services.values());
        }
        List<Service> out = new ArrayList<>();
        for (String n : names) {
            out.add(service(n));
        }
        return out;
    }

    /** The daemon's name of a project network ({@code project_key}, or its {@code name:}). */
    public String networkName(String key) {
        NetworkSpec n = networks.get(key);
        return n != null && n.name() != null ? n.name() : name + "_" + key;
    }

    /** The daemon's name of a project volume. */
    public String volumeName(String key) {
        VolumeSpec v = volumes.get(key);
        return v != null && v.name() != null ? v.name() : name + "_" + key;
    }

    public Project withServices(Map<String, Service> s) {
        return new Project(name, workingDir, configFiles, envFiles, s, networks, volumes, secrets, configs, disabled,
                warnings);
    }
}
