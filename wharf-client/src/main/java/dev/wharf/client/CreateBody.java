package dev.wharf.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /containers/create} written with jackson-core's generator, field by
 * field, in the order and shape databind gives the same records ({@code Config}'s fields, then its
 * uninterpreted ones, {@code HostConfig}, {@code NetworkingConfig}; null fields of objects left
 * out, nulls inside arrays kept). Why: databind's introspection of these records was a third of a
 * {@code wharf run}'s start-up (~90 ms in the interpreter); with this, run and create need no
 * databind at all. A value it does not know as plain JSON (an SDK caller's own object in
 * {@code other}; a BigDecimal, which databind's tree normalizes) makes {@link #write} answer
 * null, and the caller uses databind.
 */
final class CreateBody {

    private static final JsonFactory FACTORY = new JsonFactory();

    private static final Set<String> CONFIG_FIELDS = Set.of("Hostname", "Domainname", "User", "AttachStdin",
            "AttachStdout", "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Image",
            "Volumes", "WorkingDir", "Entrypoint", "Labels", "StopSignal", "StopTimeout", "HostConfig",
            "NetworkingConfig");
    private static final Set<String> HOST_FIELDS = Set.of("NetworkMode", "AutoRemove", "LogConfig", "RestartPolicy",
            "Binds", "Privileged", "ReadonlyRootfs", "ConsoleSize", "ShmSize", "Runtime");

    /** Thrown inside, caught in {@link #write}: a value this writer does not know. */
    private static final class NotPlain extends Exception {
        NotPlain() {
            super(null, null, false, false);
        }
    }

    private CreateBody() {
    }

    /** The JSON body, or null when a value is not plain JSON (maps, lists, strings, numbers, booleans). */
    static byte[] write(ContainerCreateRequest req) {
        ContainerConfig c = req.config();
        HostConfig h = req.hostConfig();
        if (overlaps(c.other(), CONFIG_FIELDS) || overlaps(h.other(), HOST_FIELDS)) {
            return null; // databind would write the key twice; leave that case to it
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            config(g, c);
            g.writeFieldName("HostConfig");
            hostConfig(g, h);
            if (req.networkingConfig() != null) {
                g.writeFieldName("NetworkingConfig");
                value(g, req.networkingConfig(), true);
            }
            g.writeEndObject();
        } catch (NotPlain e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static boolean overlaps(Map<String, Object> other, Set<String> typed) {
        for (String k : other.keySet()) {
            if (typed.contains(k)) {
                return true;
            }
        }
        return false;
    }

    private static void config(JsonGenerator g, ContainerConfig c) throws IOException, NotPlain {
        field(g, "Hostname", c.hostname());
        field(g, "Domainname", c.domainname());
        field(g, "User", c.user());
        g.writeBooleanField("AttachStdin", c.attachStdin());
        g.writeBooleanField("AttachStdout", c.attachStdout());
        g.writeBooleanField("AttachStderr", c.attachStderr());
        field(g, "ExposedPorts", c.exposedPorts());
        g.writeBooleanField("Tty", c.tty());
        g.writeBooleanField("OpenStdin", c.openStdin());
        g.writeBooleanField("StdinOnce", c.stdinOnce());
        field(g, "Env", c.env());
        field(g, "Cmd", c.cmd());
        field(g, "Image", c.image());
        field(g, "Volumes", c.volumes());
        field(g, "WorkingDir", c.workingDir());
        field(g, "Entrypoint", c.entrypoint());
        field(g, "Labels", c.labels());
        field(g, "StopSignal", c.stopSignal());
        field(g, "StopTimeout", c.stopTimeout());
        fields(g, c.other());
    }

    private static void hostConfig(JsonGenerator g, HostConfig h) throws IOException, NotPlain {
        g.writeStartObject();
        field(g, "NetworkMode", h.networkMode());
        g.writeBooleanField("AutoRemove", h.autoRemove());
        if (h.logConfig() != null) {
            g.writeObjectFieldStart("LogConfig");
            field(g, "Type", h.logConfig().type());
            field(g, "Config", h.logConfig().config());
            g.writeEndObject();
        }
        if (h.restartPolicy() != null) {
            g.writeObjectFieldStart("RestartPolicy");
            field(g, "Name", h.restartPolicy().name());
            g.writeNumberField("MaximumRetryCount", h.restartPolicy().maximumRetryCount());
            g.writeEndObject();
        }
        field(g, "Binds", h.binds());
        g.writeBooleanField("Privileged", h.privileged());
        g.writeBooleanField("ReadonlyRootfs", h.readonlyRootfs());
        field(g, "ConsoleSize", h.consoleSize());
        field(g, "ShmSize", h.shmSize());
        field(g, "Runtime", h.runtime());
        fields(g, h.other());
        g.writeEndObject();
    }

    /** An object's field: left out when null, as the databind path drops null fields of objects. */
    private static void field(JsonGenerator g, String name, Object v) throws IOException, NotPlain {
        if (v != null) {
            g.writeFieldName(name);
            value(g, v, true);
        }
    }

    private static void fields(JsonGenerator g, Map<?, ?> m) throws IOException, NotPlain {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new NotPlain();
            }
            field(g, k, e.getValue());
        }
    }

    /**
     * {@code inObject}: whether null fields of a map are dropped here. They are for maps reached
     * through objects' fields; once inside an array, everything is written as it is.
     */
    private static void value(JsonGenerator g, Object v, boolean inObject) throws IOException, NotPlain {
        // instanceof tests rather than a pattern switch: its bootstrap (method handles spun at the
        // first call) cost ~20 ms of a command's start-up
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new NotPlain();
                }
                if (inObject) {
                    field(g, k, e.getValue());
                } else {
                    g.writeFieldName(k);
                    value(g, e.getValue(), false);
                }
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                value(g, o, false);
            }
            g.writeEndArray();
        } else {
            throw new NotPlain();
        }
    }
}
