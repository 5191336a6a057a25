package dev.wharf.compose.plan;

import dev.wharf.compose.model.Labels;
import java.util.Map;

/**
 * A container of the project as the daemon lists it: its service, replica number, the config hash
 * and image it was made with, and its state ({@code running}, {@code exited}, …).
 */
public record ObservedContainer(String id, String name, String service, int number, String configHash, String image,
        String state, boolean oneoff, Map<String, String> labels) {

    public boolean running() {
        return "running".equals(state) || "restarting".equals(state);
    }

    /** Reads the compose labels of a listed container; {@code name} without its leading slash. */
    public static ObservedContainer of(String id, String name, String state, Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        int number;
        try {
            number = Integer.parseInt(l.getOrDefault(Labels.CONTAINER_NUMBER, "0"));
        } catch (NumberFormatException e) {
            number = 0;
        }
        String n = name != null && name.startsWith("/") ? name.substring(1) : name;
        return new ObservedContainer(id, n, l.get(Labels.SERVICE), number, l.get(Labels.CONFIG_HASH), l.get(Labels.IMAGE),
                state, "True".equalsIgnoreCase(l.get(Labels.ONEOFF)), l);
    }
}
