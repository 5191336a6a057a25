package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The portable part of a container's configuration ({@code Config} in create and inspect).
 * Fields Wharf does not interpret yet are kept in {@code other} and echoed back.
 */
public record ContainerConfig(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("OpenStdin") boolean openStdin,
        @JsonProperty("StdinOnce") boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("StopTimeout") Integer stopTimeout,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    public ContainerConfig {
        other = other == null ? new LinkedHashMap<>() : other;
    }

    public static ContainerConfig empty() {
        return new ContainerConfig("", "", "", false, false, false, null, false, false, false, null, null, "",
                null, "", null, null, null, null, null);
    }

    public ContainerConfig withImage(String v) {
        return new ContainerConfig(hostname, domainname, user, attachStdin, attachStdout, attachStderr, exposedPorts,
                tty, openStdin, stdinOnce, env, cmd, v, volumes, workingDir, entrypoint, labels, stopSignal,
                stopTimeout, other);
    }

    public ContainerConfig withHostname(String v) {
        return new ContainerConfig(v, domainname, user, attachStdin, attachStdout, attachStderr, exposedPorts,
                tty, openStdin, stdinOnce, env, cmd, image, volumes, workingDir, entrypoint, labels, stopSignal,
                stopTimeout, other);
    }

    /** The same config with the image's defaults filled in where the request left them empty. */
    public ContainerConfig mergeImageDefaults(List<String> imgEnv, List<String> imgCmd, List<String> imgEntrypoint,
            String imgWorkingDir, String imgUser, Map<String, String> imgLabels, Map<String, Object> imgPorts,
            Map<String, Object> imgVolumes, String imgStopSignal) {
        List<String> mergedEnv = mergeEnv(imgEnv, env);
        List<String> c = cmd;
        List<String> ep = entrypoint;
        if (ep == null || ep.isEmpty()) {
            if (ep == null) {
                ep = imgEntrypoint;
            }
            if (c == null || c.isEmpty()) {
                c = imgCmd;
            }
        }
        Map<String, String> l = new LinkedHashMap<>();
        if (imgLabels != null) {
            l.putAll(imgLabels);
        }
        if (labels != null) {
            l.putAll(labels);
        }
        Map<String, Object> ports = mergeMaps(imgPorts, exposedPorts);
        Map<String, Object> vols = mergeMaps(imgVolumes, volumes);
        return new ContainerConfig(hostname, domainname, blank(user) ? nz(imgUser) : user, attachStdin,
                attachStdout, attachStderr, ports, tty, openStdin, stdinOnce, mergedEnv, c, image, vols,
                blank(workingDir) ? nz(imgWorkingDir) : workingDir, ep, l, blank(stopSignal) ? imgStopSignal
                        : stopSignal, stopTimeout, other);
    }

    private static Map<String, Object> mergeMaps(Map<String, Object> a, Map<String, Object> b) {
        if ((a == null || a.isEmpty()) && (b == null || b.isEmpty())) {
            return b == null ? a : b;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (a != null) {
            m.putAll(a);
        }
        if (b != null) {
            m.putAll(b);
        }
        return m;
    }

    /** Image env first, then the request's, a later value replacing an earlier one of the same key. */
    static List<String> mergeEnv(List<String> base, List<String> over) {
        Map<String, String> m = new LinkedHashMap<>();
        for (List<String> l : new List[] {base, over}) {
            if (l != null) {
                for (String kv : l) {
                    int i = kv.indexOf('=');
                    m.put(i < 0 ? kv : kv.substring(0, i), kv);
                }
            }
        }
        return List.copyOf(m.values());
    }

    /** {@code MacAddress} (deprecated in Config since API 1.44, still sent by older clients), or null. */
    @JsonIgnore
    public String macAddress() {
        return other.get("MacAddress") instanceof String s && !s.isEmpty() ? s : null;
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
