package dev.wharf.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.model.Json;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} query parameter: a JSON map of maps of booleans, as the Go client sends
 * it ({@code {"label":{"a=b":true}}}).
 */
public final class Filters {

    private Filters() {
    }

    /** Parses CLI-style {@code key=value} arguments into a filter map. */
    public static Map<String, Set<String>> parse(List<String> args) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        if (args == null) {
            return m;
        }
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad format of filter (expected name=value)");
            }
            m.computeIfAbsent(a.substring(0, eq).trim().toLowerCase(), k -> new LinkedHashSet<>())
                    .add(a.substring(eq + 1));
        }
        return m;
    }

    static String toJson(Map<String, ? extends Iterable<String>> filters) {
        ObjectNode root = Json.mapper().createObjectNode();
        filters.forEach((k, values) -> {
            ObjectNode inner = root.putObject(k);
            values.forEach(v -> inner.put(v, true));
        });
        try {
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
