package dev.wharf.builder.instruction;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.Locale;

/**
 * A {@code RUN --mount=} option, its fields still unexpanded. {@code type} is bind (the default),
 * cache, tmpfs or secret; {@code source} is a path in the context or in {@code from} (a stage or an
 * image); {@code id} names a cache or a secret.
 */
public record RunMount(String type, String target, String source, String from, String id, String sharing,
        String mode, String uid, String gid, boolean readOnly, boolean required, String size, String env) {

    /** Parses {@code type=cache,target=/root/.cache,id=x,...} (BuildKit's CSV form). */
    public static RunMount parse(String spec) {
        String type = "bind";
        String target = null;
        String source = null;
        String from = null;
        String id = null;
        String sharing = "shared";
        String mode = null;
        String uid = null;
        String gid = null;
        Boolean readOnly = null;
        boolean required = false;
        String size = null;
        String env = null;
        for (String field : spec.split(",")) {
            String f = field.strip();
            if (f.isEmpty()) {
                continue;
            }
            int eq = f.indexOf('=');
            String key = (eq < 0 ? f : f.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : f.substring(eq + 1);
            switch (key) {
                case "type" -> type = need(key, value).toLowerCase(Locale.ROOT);
                case "target", "dst", "destination" -> target = need(key, value);
                case "source", "src" -> source = need(key, value);
                case "from" -> from = need(key, value);
                case "id" -> id = need(key, value);
                case "sharing" -> sharing = need(key, value);
                case "mode" -> mode = need(key, value);
                case "uid" -> uid = need(key, value);
                case "gid" -> gid = need(key, value);
                case "size" -> size = need(key, value);
                case "env" -> env = need(key, value);
                case "ro", "readonly" -> readOnly = value == null || bool(key, value);
                case "rw", "readwrite" -> readOnly = !(value == null || bool(key, value));
                case "required" -> required = value == null || bool(key, value);
                default -> throw new InvalidArgumentException("unexpected key '" + key + "' in '" + f + "'");
            }
        }
        if (!java.util.Set.of("bind", "cache", "tmpfs", "secret", "ssh").contains(type)) {
            throw new InvalidArgumentException("unsupported mount type \"" + type + "\"");
        }
        if (type.equals("ssh")) {
            throw new InvalidArgumentException("RUN --mount=type=ssh is not supported: Wharf has no SSH agent forwarding");
        }
        if (target == null && !type.equals("secret")) {
            throw new InvalidArgumentException("mount destination (target=) is required for type=" + type);
        }
        if (!java.util.Set.of("shared", "private", "locked").contains(sharing)) {
            throw new InvalidArgumentException("unsupported sharing value \"" + sharing + "\"");
        }
        boolean ro = readOnly != null ? readOnly : type.equals("bind") || type.equals("secret");
        return new RunMount(type, target, source, from, id, sharing, mode, uid, gid, ro, required, size, env);
    }

    private static String need(String key, String value) {
        if (value == null) {
            throw new InvalidArgumentException("invalid field '" + key + "' must be a key=value pair");
        }
        return value;
    }

    private static boolean bool(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException("invalid value for " + key + ": " + v);
        };
    }
}
