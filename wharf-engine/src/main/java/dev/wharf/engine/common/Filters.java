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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code filters} query parameter: a JSON object mapping a filter name to either a map of
 * value → true (what Go clients send) or a list of values (docker-py, docker-java). Anything else
 * is refused with Docker's "invalid filter". The match methods follow moby's {@code filters.Args}:
 * each is true when the filter is not given.
 */
public record Filters(Map<String, List<String>> values) {

    public static final Filters NONE = new Filters(Map.of());

    public static Filters parse(String json) {
        if (json == null || json.isEmpty()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw invalid();
        }
        if (root == null || !root.isObject()) {
            throw invalid();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            var e = it.next();
            List<String> vals = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                for (JsonNode x : v) {
                    if (!x.isTextual()) {
                        throw invalid();
                    }
                    vals.add(x.asText());
                }
            } else if (v.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> vs = v.fields(); vs.hasNext();) {
                    var kv = vs.next();
                    if (!kv.getValue().isBoolean()) {
                        throw invalid();
                    }
                    if (kv.getValue().asBoolean()) {
                        vals.add(kv.getKey());
                    }
                }
            } else if (!v.isNull()) {
                throw invalid();
            }
            out.put(e.getKey(), vals);
        }
        return new Filters(out);
    }

    private static InvalidArgumentException invalid() {
        return new InvalidArgumentException("invalid filter");
    }

    /** Docker's error for a bad value: {@code invalid filter 'name=[v1 v2]'}. */
    public InvalidArgumentException invalidValue(String name) {
        return new InvalidArgumentException("invalid filter '" + name + "=[" + String.join(" ", get(name)) + "]'");
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

    /** The filter is given with at least one value. */
    public boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isEmpty();
    }

    /** The filter is given, even with no value. */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** One of the values equals {@code source}. */
    public boolean exactMatch(String name, String source) {
        return !has(name) || get(name).contains(source);
    }

    /** One of the values equals {@code source} or is a prefix of it (IDs and names in events). */
    public boolean fuzzyMatch(String name, String source) {
        if (!has(name)) {
            return true;
        }
        return source != null && get(name).stream().anyMatch(source::startsWith);
    }

    /**
     * One of the values equals {@code source} or, read as a regular expression, is found in it
     * (names and IDs of containers and networks); a value that is no regular expression only
     * matches exactly, as in Go.
     */
    public boolean regexMatch(String name, String source) {
        if (!has(name)) {
            return true;
        }
        for (String v : get(name)) {
            if (v.equals(source)) {
                return true;
            }
            try {
                if (Pattern.compile(v).matcher(source).find()) {
                    return true;
                }
            } catch (PatternSyntaxException e) {
                // not a regular expression: only the exact match above counts
            }
        }
        return false;
    }

    /**
     * A boolean filter ({@code dangling}): true for "true"/"1", false for "false"/"0"; both or any
     * other value is Docker's {@code invalid filter 'name=[...]'}.
     */
    public boolean bool(String name, boolean dflt) {
        if (!values.containsKey(name)) {
            return dflt;
        }
        List<String> v = get(name);
        boolean isTrue = v.contains("true") || v.contains("1");
        boolean isFalse = v.contains("false") || v.contains("0");
        if (isTrue == isFalse) {
            throw invalidValue(name);
        }
        return isTrue;
    }

    /** Docker's label filter: every {@code key} or {@code key=value} given must hold. */
    public boolean labelsMatch(Map<String, String> labels) {
        return labelsMatch("label", labels);
    }

    /** {@link #labelsMatch(Map)} for another filter name holding {@code key[=value]} pairs. */
    public boolean labelsMatch(String name, Map<String, String> labels) {
        if (!has(name)) {
            return true;
        }
        if (labels == null || labels.isEmpty()) {
            return false;
        }
        for (String f : get(name)) {
            int i = f.indexOf('=');
            String k = i < 0 ? f : f.substring(0, i);
            if (!labels.containsKey(k)) {
                return false;
            }
            if (i >= 0 && !f.substring(i + 1).equals(labels.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** Prune's {@code label!}: true when one of the given {@code key[=value]} pairs holds. */
    public boolean anyNegatedLabelHolds(Map<String, String> labels) {
        for (String f : get("label!")) {
            int i = f.indexOf('=');
            String k = i < 0 ? f : f.substring(0, i);
            if (labels != null && labels.containsKey(k) && (i < 0 || f.substring(i + 1).equals(labels.get(k)))) {
                return true;
            }
        }
        return false;
    }
}
