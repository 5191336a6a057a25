package dev.wharf.daemon.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.wharf.base.error.InvalidArgumentException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Request bodies read as moby reads them with Go's {@code encoding/json}: keys match fields whatever
 * their case, and a value of the wrong JSON type is refused (no number-to-string, string-to-number or single-value-to-list coercion, except
 * where Docker's own types accept both, as {@code strslice} does for {@code Cmd}/{@code Entrypoint}),
 * and the error names the field as Go's does:
 * {@code invalid JSON: json: cannot unmarshal number into Go struct field CreateRequest.Image of type string}.
 */
final class RequestJson {

    private RequestJson() {
    }

    static ObjectMapper strict(ObjectMapper base) {
        ObjectMapper m = base.copy();
        m.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        // Go matches JSON keys to struct fields case-insensitively, and clients rely on it: docker-py
        // sends exec's "detachKeys" in lower camel case.
        m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);
        m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return m;
    }

    /**
     * A request body as {@code type}, or a 400 with Docker's message: also for bytes that are no
     * text at all (Jackson guesses UTF-16/32 from the first bytes and then fails as I/O).
     */
    static <T> T decode(ObjectMapper strict, byte[] body, Class<T> type) {
        try {
            return strict.readValue(body, type);
        } catch (JacksonException e) {
            throw new InvalidArgumentException(message(e, type));
        } catch (java.io.IOException e) {
            throw new InvalidArgumentException("invalid JSON: " + e.getMessage());
        }
    }

    /** Docker's message for a body that does not decode. */
    static String message(JacksonException e, Class<?> root) {
        return message(e, root.getSimpleName());
    }

    /** {@link #message(JacksonException, Class)} with the Go path of the value read ("CreateRequest.HostConfig"). */
    static String message(JacksonException e, String root) {
        if (e instanceof MismatchedInputException mi && !mi.getPath().isEmpty()) {
            String path = mi.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
            return "invalid JSON: json: cannot unmarshal " + kind(mi) + " into Go struct field " + root + "."
                    + path + " of type " + goType(mi.getTargetType());
        }
        if (e instanceof JsonMappingException jm && jm.getCause() instanceof RuntimeException re
                && re.getMessage() != null) {
            return "invalid JSON: " + re.getMessage();
        }
        return "invalid JSON: " + e.getOriginalMessage();
    }

    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(
            "(Integer|Floating-point|String|Boolean|Array|Object|START_ARRAY|START_OBJECT|VALUE_STRING|"
                    + "VALUE_NUMBER_INT|VALUE_NUMBER_FLOAT|VALUE_TRUE|VALUE_FALSE)");

    /** Jackson's words for a fraction read into an integer field: Go names the number, "number 1.5". */
    private static final java.util.regex.Pattern FRACTION = java.util.regex.Pattern.compile(
            "^Cannot coerce Floating-point value \\(([^)]*)\\)");

    private static String kind(MismatchedInputException e) {
        var f = FRACTION.matcher(String.valueOf(e.getOriginalMessage()));
        if (f.find()) {
            return "number " + f.group(1);
        }
        var m = SHAPE.matcher(String.valueOf(e.getOriginalMessage()));
        if (m.find()) {
            return switch (m.group(1)) {
                case "Integer", "Floating-point", "VALUE_NUMBER_INT", "VALUE_NUMBER_FLOAT" -> "number";
                case "String", "VALUE_STRING" -> "string";
                case "Boolean", "VALUE_TRUE", "VALUE_FALSE" -> "bool";
                case "Array", "START_ARRAY" -> "array";
                default -> "object";
            };
        }
        Object p = e.getProcessor();
        JsonToken t = p instanceof com.fasterxml.jackson.core.JsonParser jp ? jp.currentToken() : null;
        if (t == null) {
            return "value";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_STRING -> "string";
            case VALUE_TRUE, VALUE_FALSE -> "bool";
            case START_ARRAY, END_ARRAY -> "array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "object";
            default -> "value";
        };
    }

    private static String goType(Class<?> t) {
        if (t == null) {
            return "value";
        }
        if (t == String.class) {
            return "string";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "bool";
        }
        if (t == int.class || t == Integer.class) {
            return "int";
        }
        if (t == long.class || t == Long.class) {
            return "int64";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "float64";
        }
        if (Collection.class.isAssignableFrom(t)) {
            return "[]string";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "map[string]string";
        }
        return t.getSimpleName();
    }
}
