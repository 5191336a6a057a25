package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import dev.wharf.oci.runtime.Resources;
import dev.wharf.engine.spec.SpecGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code HostConfig.DeviceCgroupRules} (device cgroup rules added to the spec, as moby's
 * {@code WithDevices}) and {@code MaskedPaths}/{@code ReadonlyPaths} (recorded at create as
 * Docker records them, so inspect shows what is applied, and applied from there).
 */
final class DevicePolicy {

    private static final Pattern RULE = Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    private DevicePolicy() {
    }

    /** Parses the rules; 400 with Docker's message for a malformed one. */
    static List<Resources.DeviceRule> cgroupRules(List<String> rules) {
        List<Resources.DeviceRule> out = new ArrayList<>();
        for (String r : rules) {
            Matcher m = RULE.matcher(r);
            if (!m.matches()) {
                throw new InvalidArgumentException("invalid device cgroup format '" + r + "'");
            }
            out.add(new Resources.DeviceRule(true, m.group(1), m.group(2).equals("*") ? null : Long.valueOf(m.group(2)),
                    m.group(3).equals("*") ? null : Long.valueOf(m.group(3)), m.group(4)));
        }
        return out;
    }

    /**
     * The HostConfig with Docker's default masked and read-only paths recorded when the request
     * gave none and the container is not privileged (moby's create does the same).
     */
    static HostConfig withPathDefaults(HostConfig hc) {
        if (hc.privileged()) {
            return hc;
        }
        HostOptions asked = HostOptions.of(hc);
        Map<String, Object> other = new LinkedHashMap<>(hc.other());
        if (asked.maskedPaths() == null) {
            other.put("MaskedPaths", SpecGenerator.MASKED_PATHS);
        }
        if (asked.readonlyPaths() == null) {
            other.put("ReadonlyPaths", SpecGenerator.READONLY_PATHS);
        }
        return hc.withOther(other);
    }

    /** The paths to mask (or make read-only) in the spec: what the HostConfig records, else the spec's. */
    static List<String> paths(List<String> recorded, List<String> fallback) {
        return recorded != null ? recorded : fallback;
    }
}
