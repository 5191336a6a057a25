package dev.wharf.engine.spec;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.runtime.spec.HostCapabilities;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Capability names as Docker's options take them, and Docker's {@code --cap-add}/{@code --cap-drop}
 * arithmetic (moby {@code oci/caps/utils.go} {@code TweakCapabilities}).
 */
public final class Capabilities {

    private Capabilities() {}

    /** The daemon's bounding set (read by the runtime adapter); what --privileged grants. */
    public static List<String> hostBounding() {
        return HostCapabilities.bounding();
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
        if (!HostCapabilities.ALL.contains(n)) {
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
