package dev.wharf.cli.command.container;

import dev.wharf.base.text.IpText;
import dev.wharf.base.time.GoDuration;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for {@code run}/{@code create} flag values, following the docker CLI (go-units sizes,
 * Go durations, ulimits, devices, capabilities, DNS, extra hosts, env files). Each throws
 * {@link IllegalArgumentException} with docker's wording.
 */
final class FlagValues {

    private FlagValues() {
    }

    /** docker's pflag wording for a value a flag rejected. */
    static IllegalArgumentException invalid(String flag, String value, String why) {
        return new IllegalArgumentException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
    }

    private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    /** go-units RAMInBytes: "64m", "1g", "512k", "1024", "1.5g" (binary multiples). */
    static long ramInBytes(String flag, String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches() || m.group(1).chars().filter(c -> c == '.').count() > 1) {
            throw invalid(flag, s, "invalid size: '" + s + "'");
        }
        long mult = 1;
        if (m.group(3) != null) {
            mult = switch (Character.toLowerCase(m.group(3).charAt(0))) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1L << 50;
            };
        }
        return (long) (Double.parseDouble(m.group(1)) * mult);
    }

    /** MemSwapBytes: "-1" is unlimited, otherwise a size. */
    static long memSwap(String flag, String s) {
        return s.equals("-1") ? -1 : ramInBytes(flag, s);
    }

    /** NanoCPUs: a rational number of CPUs times 1e9, which must come out whole. */
    static long nanoCpus(String flag, String s) {
        BigDecimal v;
        try {
            v = new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw invalid(flag, s, "failed to parse " + s + " as a rational number");
        }
        BigDecimal nano = v.multiply(BigDecimal.valueOf(1_000_000_000L)).stripTrailingZeros();
        if (nano.scale() > 0) {
            throw invalid(flag, s, "value is too precise");
        }
        return nano.longValue();
    }

    /** Go's time.ParseDuration, in nanoseconds. */
    static long duration(String flag, String s) {
        try {
            return GoDuration.parseNanos(s);
        } catch (IllegalArgumentException e) {
            throw invalid(flag, s, e.getMessage());
        }
    }

    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /** go-units ParseUlimit: {@code name=soft[:hard]}, hard defaulting to soft. */
    static Map<String, Object> ulimit(String flag, String s) {
        int eq = s.indexOf('=');
        if (eq < 0) {
            throw invalid(flag, s, "invalid ulimit argument: " + s);
        }
        String name = s.substring(0, eq);
        if (!ULIMITS.contains(name)) {
            throw invalid(flag, s, "invalid ulimit type: " + name);
        }
        String[] vals = s.substring(eq + 1).split(":", -1);
        if (vals.length > 2) {
            throw invalid(flag, s, "too many limit value arguments - " + s.substring(eq + 1)
                    + ", can only have up to two, `soft[:hard]`");
        }
        long soft = parseLong(flag, s, vals[0]);
        long hard = vals.length == 2 ? parseLong(flag, s, vals[1]) : soft;
        if (hard != -1 && soft > hard) {
            throw invalid(flag, s, "ulimit soft limit must be less than or equal to hard limit: " + soft + " > "
                    + hard);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Hard", hard);
        m.put("Soft", soft);
        return m;
    }

    private static long parseLong(String flag, String whole, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(flag, whole, "strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
    }

    static boolean validDeviceMode(String mode) {
        if (mode.isEmpty()) {
            return false;
        }
        Set<Character> seen = new TreeSet<>();
        for (char c : mode.toCharArray()) {
            if ("rwm".indexOf(c) < 0 || !seen.add(c)) {
                return false;
            }
        }
        return true;
    }

    /** A Linux {@code --device src[:dst][:mode]} as a DeviceMapping. */
    static Map<String, Object> device(String flag, String s) {
        String[] arr = s.split(":", -1);
        if (arr.length > 3 || arr[0].isEmpty()) {
            throw invalid(flag, s, "bad format for path: " + s);
        }
        String src = arr[0];
        String dst = "";
        String perms = "rwm";
        if (arr.length == 3) {
            if (!validDeviceMode(arr[2])) {
                throw invalid(flag, s, "bad mode specified: " + arr[2]);
            }
            perms = arr[2];
            dst = arr[1];
        } else if (arr.length == 2) {
            if (validDeviceMode(arr[1])) {
                perms = arr[1];
            } else {
                dst = arr[1];
            }
        }
        if (dst.isEmpty()) {
            dst = src;
        }
        if (!dst.startsWith("/")) {
            throw invalid(flag, s, dst + " is not an absolute path");
        }
        dst = Path.of(dst).normalize().toString();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PathOnHost", src);
        m.put("PathInContainer", dst);
        m.put("CgroupPermissions", perms);
        return m;
    }

    /** CAP_ prefixed, upper case; "ALL" trumps the rest; added beats dropped; sorted. */
    static List<List<String>> capabilities(List<String> add, List<String> drop) {
        Set<String> a = caps(add);
        Set<String> d = caps(drop);
        if (a.contains("ALL")) {
            a = new TreeSet<>(Set.of("ALL"));
        }
        if (d.contains("ALL")) {
            d = new TreeSet<>(Set.of("ALL"));
        }
        List<String> outDrop = new ArrayList<>();
        for (String c : d) {
            if (!a.contains(c) && !c.equals("RESET")) {
                outDrop.add(c);
            }
        }
        List<String> outAdd = a.stream().filter(c -> !c.equals("RESET")).toList();
        return List.of(outAdd, outDrop);
    }

    private static Set<String> caps(List<String> l) {
        Set<String> s = new TreeSet<>();
        if (l != null) {
            for (String c : l) {
                c = c.trim().toUpperCase(Locale.ROOT);
                if (!c.equals("ALL") && !c.equals("RESET") && !c.startsWith("CAP_")) {
                    c = "CAP_" + c;
                }
                s.add(c);
            }
        }
        return s;
    }

    /** parseSecurityOpts: key=value (or key:value), a seccomp profile file inlined as compact JSON. */
    static String securityOpt(String opt, Function<String, String> compactJson) {
        String[] kv = securityKeyValue(opt);
        if (kv == null) {
            return opt;
        }
        String k = kv[0];
        String v = kv[1];
        if (v.isEmpty() && !k.equals("no-new-privileges")) {
            throw new IllegalArgumentException("Invalid --security-opt: \"" + opt + "\"");
        }
        if (namesSeccompFile(k, v)) {
            String json;
            try {
                json = Files.readString(Path.of(v));
            } catch (IOException e) {
                throw new IllegalArgumentException("opening seccomp profile (" + v + ") failed: " + e.getMessage());
            }
            return "seccomp=" + compactJson.apply(json);
        }
        return opt;
    }

    /** Whether a --security-opt names a seccomp profile file, which the CLI reads and inlines. */
    static boolean namesSeccompFile(String opt) {
        String[] kv = securityKeyValue(opt);
        return kv != null && namesSeccompFile(kv[0], kv[1]);
    }

    private static boolean namesSeccompFile(String key, String value) {
        return key.equals("seccomp") && !value.equals("builtin") && !value.equals("unconfined");
    }

    /** A --security-opt's key and value (key=value, or key:value); null for a bare no-new-privileges. */
    private static String[] securityKeyValue(String opt) {
        int i = opt.indexOf('=');
        if (i >= 0) {
            return new String[] {opt.substring(0, i), opt.substring(i + 1)};
        }
        if (opt.equals("no-new-privileges")) {
            return null;
        }
        int c = opt.indexOf(':');
        return c < 0 ? new String[] {opt, ""} : new String[] {opt.substring(0, c), opt.substring(c + 1)};
    }

    private static final Set<String> SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    /** ValidateSysctl: the namespaced sysctls docker allows. */
    static String[] sysctl(String flag, String s) {
        int eq = s.indexOf('=');
        String k = eq < 0 ? "" : s.substring(0, eq);
        if (k.isEmpty() || !(SYSCTLS.contains(k) || k.startsWith("net.") || k.startsWith("fs.mqueue."))) {
            throw invalid(flag, s, "sysctl '" + s + "' is not allowed");
        }
        return new String[] {k, s.substring(eq + 1)};
    }

    /** An IP literal (never a name lookup), or null. */
    static InetAddress ipLiteral(String s) {
        if (s.isEmpty() || !s.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        if (s.matches("[0-9.]+")) {
            String[] p = s.split("\\.", -1);
            if (p.length != 4) {
                return null;
            }
            for (String o : p) {
                if (o.isEmpty() || o.length() > 3 || (o.length() > 1 && o.startsWith("0")) || Integer.parseInt(o) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** ValidateIPAddress (for --dns): the address in canonical form. */
    static String ipAddress(String flag, String s) {
        InetAddress a = ipLiteral(s.trim());
        if (a == null) {
            throw invalid(flag, s, "IP address is not correctly formatted: " + s);
        }
        return IpText.of(a);
    }

    private static final Pattern DOMAIN = Pattern.compile("^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*"
            + "[a-zA-Z0-9]))(:?\\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])))*)\\.?\\s*$");

    /** ValidateDNSSearch: "." or a domain name. */
    static String dnsSearch(String flag, String s) {
        String v = s.replaceAll("^ +| +$", "");
        if (v.equals(".")) {
            return v;
        }
        Matcher m = DOMAIN.matcher(v);
        if (!v.matches("(?s).*[a-zA-Z].*") || !m.find() || m.group(1).length() >= 255) {
            throw invalid(flag, s, v + " is not a valid domain");
        }
        return m.group(1);
    }

    /** ValidateExtraHost: {@code host:ip} or {@code host=ip}, sent as {@code host:ip}. */
    static String extraHost(String flag, String s) {
        int i = s.indexOf('=');
        if (i < 0) {
            i = s.indexOf(':');
        }
        String k = i < 0 ? "" : s.substring(0, i);
        if (i < 0 || k.isEmpty() || k.contains(":")) {
            throw invalid(flag, s, "bad format for add-host: \"" + s + "\"");
        }
        String v = s.substring(i + 1);
        if (!v.equals("host-gateway")) {
            if (v.length() > 2 && v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            if (ipLiteral(v.trim()) == null) {
                throw invalid(flag, s, "invalid IP address in add-host: \"" + v + "\"");
            }
        }
        return k + ":" + v;
    }

    /** The ports one {@code --expose port[-end][/proto]} names, as ExposedPorts keys. */
    static List<String> expose(String s) {
        if (s.contains(":")) {
            throw new IllegalArgumentException("invalid port format for --expose: " + s);
        }
        int slash = s.lastIndexOf('/');
        String proto = slash < 0 ? "tcp" : s.substring(slash + 1).toLowerCase(Locale.ROOT);
        String port = slash < 0 ? s : s.substring(0, slash);
        if (proto.isEmpty()) {
            proto = "tcp";
        }
        Matcher m = Pattern.compile("^(\\d+)(?:-(\\d+))?$").matcher(port);
        long start;
        long end;
        if (!m.matches() || (start = new BigInteger(m.group(1)).min(BigInteger.valueOf(1 << 20)).longValue()) > 65535
                || (end = m.group(2) == null ? start : new BigInteger(m.group(2)).min(BigInteger.valueOf(1 << 20))
                        .longValue()) > 65535 || end < start) {
            throw new IllegalArgumentException("invalid range format for --expose: " + s + ", error: invalid port"
                    + " range: " + port);
        }
        List<String> out = new ArrayList<>();
        for (long p = start; p <= end; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }

    /** ConvertKVStringsToMap: "k=v" and bare "k" (an empty value). */
    static Map<String, String> kvMap(List<String> l) {
        Map<String, String> m = new LinkedHashMap<>();
        if (l != null) {
            for (String s : l) {
                int eq = s.indexOf('=');
                m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return m;
    }

    /**
     * docker's parseKeyValueFile: blank and '#' lines skipped, leading whitespace trimmed,
     * "K=V" kept as it is, a bare "K" looked up with {@code lookup} (dropped when that gives null).
     */
    static List<String> readKvFile(String file, Function<String, String> lookup) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("open " + file + ": no such file or directory");
        }
        List<String> out = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            byte[] raw = lines[n].getBytes(StandardCharsets.ISO_8859_1);
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("env file " + file + " contains invalid utf8 bytes at line "
                        + (n + 1));
            }
            if (n == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String variable = (eq < 0 ? line : line.substring(0, eq)).replaceAll("^[ \\t\\n\\x0B\\f\\r]+", "");
            if (variable.matches("(?s).*[ \\t\\n\\x0B\\f\\r].*")) {
                throw new IllegalArgumentException("variable '" + variable + "' contains whitespaces");
            }
            if (variable.isEmpty()) {
                throw new IllegalArgumentException("no variable name on line '" + line + "'");
            }
            if (eq >= 0) {
                out.add(variable + "=" + line.substring(eq + 1));
            } else if (lookup != null) {
                String v = lookup.apply(variable);
                if (v != null) {
                    out.add(variable.strip() + "=" + v);
                }
            }
        }
        return out;
    }

    /** Go's net.ParseMAC for the common colon/hyphen-separated 6-, 8- and 20-octet forms. */
    static boolean validMac(String s) {
        return s.matches("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}|[0-9a-f]{2}([:-][0-9a-f]{2}){7}|[0-9a-f]{2}([:-]"
                + "[0-9a-f]{2}){19}|[0-9a-f]{4}(\\.[0-9a-f]{4}){2}|[0-9a-f]{4}(\\.[0-9a-f]{4}){3}|[0-9a-f]{4}"
                + "(\\.[0-9a-f]{4}){9}");
    }
}
