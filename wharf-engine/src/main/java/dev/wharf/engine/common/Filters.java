package dev.wharf.engine.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} query parameter: a JSON object mapping a filter name to either a map of
 * value → true (what Go clients send) or a list of values (docker-py, docker-java).
 */
public record Filters(Map<String, List<String>> values) {

    public static final Filters NONE = new Filters(Map.of());

    public static Filters parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new InvalidArgumentException("invalid filter: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!root.isObject()) {
            throw new InvalidArgumentException("invalid filter: expected a JSON object");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            var e = it.next();
            List<String> vals = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> vals.add(x.asText()));
            } else if (v.isObject()) {
                v.fieldNames().forEachRemaining(k -> {
                    if (v.get(k).asBoolean(true)) {
                        vals.add(k);
                    }
                });
            } else if (v.isTextual()) {
                vals.add(v.asText());
            } else {
                throw new InvalidArgumentException("invalid filter '" + e.getKey() + "'");
            }
            out.put(e.getKey(), vals);
        }
        return new Filters(out);
    }

    /** Refuses filter names outside {@code allowed}, with Docker's message. */
    public Filters only(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw new InvalidArgumentException("invalid filter '" + k + "'");
            }
        }
        return this;
    }

    public List<String> get(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isEmpty();
    }

    /** Docker's label filter: every {@code key} or {@code key=value} given must hold. */
    public boolean labelsMatch(Map<String, String> labels) {
        for (String f : get("label")) {
            int i = f.indexOf('=');
            String k = i < 0 ? f : f.substring(0, i);
            if (labels == null || !labels.containsKey(k)) {
                return false;
            }
            if (i >= 0 && !f.substring(i + 1).equals(labels.get(k))) {
                return false;
            }
        }
        return true;
    }
}
