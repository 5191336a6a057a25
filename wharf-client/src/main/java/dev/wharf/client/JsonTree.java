package dev.wharf.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON answer into plain values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger,
 * Double, Boolean, null) with jackson-core's streaming parser only, and builds the small records of
 * the hot calls ({@code ps}, {@code images}, {@code version}, {@code wait}, {@code create}) from
 * them by hand. Why: databind's ObjectMapper and its record introspection cost more start-up time
 * than a whole {@code wharf ps} otherwise spends; these records are flat enough not to need it.
 * The accessors coerce as the shared mapper does: a missing number is 0, a single value where a
 * list is expected becomes a one-element list, scalars in string maps become their text.
 */
final class JsonTree {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    static Object read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected JSON token " + t);
        };
    }

    /** Writes plain values (maps, lists, strings, numbers, booleans, null) as JSON. */
    static byte[] write(Object value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void write(com.fasterxml.jackson.core.JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Number n -> g.writeNumber(n.toString());
            default -> throw new IllegalArgumentException("not a plain JSON value: " + v.getClass().getName());
        }
    }

    // ---- typed reads of one field, coerced as the shared mapper would ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof List<?> l ? (List<Object>) l : new ArrayList<>(List.of(v));
    }

    static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null || v instanceof Map || v instanceof List ? null : v.toString();
    }

    static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static Long boxedNumber(Map<String, Object> m, String key) {
        return m.get(key) == null ? null : number(m, key);
    }

    static List<String> strings(Map<String, Object> m, String key) {
        List<Object> l = list(m.get(key));
        if (l == null) {
            return null;
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(o == null ? null : o.toString());
        }
        return out;
    }

    static Map<String, String> stringMap(Map<String, Object> m, String key) {
        Map<String, Object> o = object(m.get(key));
        if (o == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        o.forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        return out;
    }
}
