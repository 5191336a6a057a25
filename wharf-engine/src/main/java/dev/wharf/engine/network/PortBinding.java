package dev.wharf.engine.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One host binding of a published port ({@code HostConfig.PortBindings["80/tcp"][i]}): the host
 * address and port (or {@code from-to} range) as given, "" when not given.
 */
public record PortBinding(String hostIp, String hostPort) {

    /**
     * {@code HostConfig.PortBindings} as JSON decoded it: container port (as given, checked when
     * the ports are allocated) to its bindings. An entry of the wrong type reads as "any": a key
     * whose value is not a list has no bindings (one on any port is made), a binding that is not
     * an object binds any address and port.
     */
    public static Map<String, List<PortBinding>> decode(Object json) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        if (json instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                List<PortBinding> bindings = new ArrayList<>();
                for (Object b : e.getValue() instanceof List<?> l ? l : List.of()) {
                    Map<?, ?> bm = b instanceof Map<?, ?> x ? x : Map.of();
                    bindings.add(new PortBinding(bm.get("HostIp") == null ? "" : bm.get("HostIp").toString(),
                            bm.get("HostPort") == null ? "" : bm.get("HostPort").toString()));
                }
                out.put(String.valueOf(e.getKey()), List.copyOf(bindings));
            }
        }
        return out;
    }
}
