package dev.wharf.builder.instruction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.builder.parse.DockerfileParser;
import dev.wharf.builder.parse.Line;
import dev.wharf.builder.parse.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns parsed lines into typed instructions, with BuildKit's argument rules and messages: the
 * JSON (exec) form where the text is a JSON array of strings, {@code --flags} before the
 * arguments, {@code key=value} lists for ENV and LABEL (and their legacy {@code key value} form).
 */
public final class InstructionParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final char escape;

    public InstructionParser(char escape) {
        this.escape = escape;
    }

    public List<Instruction> parseAll(List<Line> lines) {
        List<Instruction> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(parse(l));
        }
        return out;
    }

    /** One instruction; a {@link ParseException} names its line. */
    public Instruction parse(Line l) {
        try {
            return parseUnchecked(l);
        } catch (ParseException e) {
            throw e;
        } catch (InvalidArgumentException e) {
            throw new ParseException(l.startLine(), e.getMessage());
        }
    }

    private Instruction parseUnchecked(Line l) {
        String kw = l.keyword();
        return switch (kw) {
            case "from" -> from(l);
            case "run" -> run(l);
            case "cmd" -> new Instruction.Cmd(l, command(l, noFlags(l), "CMD"));
            case "entrypoint" -> new Instruction.Entrypoint(l, command(l, noFlags(l), "ENTRYPOINT"));
            case "env" -> new Instruction.Env(l, keyValues(noFlags(l), "ENV"));
            case "label" -> new Instruction.Label(l, keyValues(noFlags(l), "LABEL"));
            case "arg" -> arg(l);
            case "workdir" -> new Instruction.Workdir(l, exactlyOne(noFlags(l), "WORKDIR"));
            case "user" -> new Instruction.User(l, exactlyOne(noFlags(l), "USER"));
            case "copy", "add" -> copy(l, kw.equals("add"));
            case "expose" -> {
                List<String> ports = words(noFlags(l));
                if (ports.isEmpty()) {
                    throw new InvalidArgumentException("EXPOSE requires at least one argument");
                }
                yield new Instruction.Expose(l, ports);
            }
            case "volume" -> volume(l);
            case "healthcheck" -> healthcheck(l);
            case "stopsignal" -> new Instruction.StopSignal(l, exactlyOne(noFlags(l), "STOPSIGNAL"));
            case "shell" -> {
                List<String> json = jsonArray(noFlags(l));
                if (json == null) {
                    throw new InvalidArgumentException("SHELL requires the arguments to be in JSON form");
                }
                if (json.isEmpty()) {
                    throw new InvalidArgumentException("SHELL requires at least one argument");
                }
                yield new Instruction.Shell(l, json);
            }
            case "onbuild" -> onbuild(l);
            case "maintainer" -> {
                String name = noFlags(l);
                if (name.isEmpty()) {
                    throw new InvalidArgumentException("MAINTAINER requires exactly one argument");
                }
                yield new Instruction.Maintainer(l, name);
            }
            default -> throw new InvalidArgumentException("unknown instruction: " + kw.toUpperCase(Locale.ROOT));
        };
    }

    // ---- flags ----

    /** Flags at the start of the arguments, and the text after them. */
    private record Flagged(Map<String, List<String>> flags, String rest) {
        String one(String name) {
            List<String> v = flags.get(name);
            return v == null ? null : v.getLast();
        }

        boolean bool(String name) {
            List<String> v = flags.get(name);
            if (v == null) {
                return false;
            }
            String s = v.getLast();
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "", "true" -> true;
                case "false" -> false;
                default -> throw new InvalidArgumentException("expecting boolean value for flag " + name
                        + ", not: " + s);
            };
        }
    }

    private Flagged flags(Line l, Set<String> allowed, Set<String> bools) {
        String args = l.args();
        Map<String, List<String>> flags = new LinkedHashMap<>();
        int pos = 0;
        while (true) {
            while (pos < args.length() && Character.isWhitespace(args.charAt(pos))) {
                pos++;
            }
            if (!args.startsWith("--", pos)) {
                break;
            }
            int end = wordEnd(args, pos);
            String word = args.substring(pos, end);
            pos = end;
            if (word.equals("--")) {
                break;
            }
            String body = word.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            if (!allowed.contains(name)) {
                throw new InvalidArgumentException("unknown flag: " + name);
            }
            if (value == null && !bools.contains(name)) {
                throw new InvalidArgumentException("missing a value on flag: " + name);
            }
            flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value == null ? "" : value);
        }
        return new Flagged(flags, args.substring(Math.min(pos, args.length())).strip());
    }

    /** The end of the word at {@code pos}: the next blank outside quotes. */
    private int wordEnd(String s, int pos) {
        char quote = 0;
        int i = pos;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                break;
            }
            if (c == escape && quote != '\'') {
                i++;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        return Math.min(i, s.length());
    }

    private String noFlags(Line l) {
        return flags(l, Set.of(), Set.of()).rest();
    }

    // ---- instructions ----

    private Instruction from(Line l) {
        Flagged f = flags(l, Set.of("platform"), Set.of());
        List<String> w = words(f.rest());
        if (w.size() != 1 && w.size() != 3 || w.size() == 3 && !w.get(1).equalsIgnoreCase("as")) {
            throw new InvalidArgumentException("FROM requires either one or three arguments");
        }
        String alias = null;
        if (w.size() == 3) {
            alias = w.get(2).toLowerCase(Locale.ROOT);
            if (!alias.matches("[a-z][a-z0-9-_.]*")) {
                throw new InvalidArgumentException("invalid name for build stage: \"" + w.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        }
        return new Instruction.From(l, w.get(0), f.one("platform"), alias);
    }

    private Instruction run(Line l) {
        Flagged f = flags(l, Set.of("mount", "network", "security"), Set.of());
        if (f.one("security") != null && !f.one("security").equals("sandbox")) {
            throw new InvalidArgumentException("RUN --security=" + f.one("security")
                    + " is not supported: Wharf runs every step confined");
        }
        List<RunMount> mounts = new ArrayList<>();
        for (String m : f.flags().getOrDefault("mount", List.of())) {
            mounts.add(RunMount.parse(m));
        }
        String network = f.one("network");
        if (network != null && !Set.of("default", "none", "host").contains(network)) {
            throw new InvalidArgumentException("unsupported network mode \"" + network + "\"");
        }
        Command c = command(l, f.rest(), "RUN");
        return new Instruction.Run(l, c, mounts, network, l.heredocs());
    }

    private Command command(Line l, String rest, String name) {
        List<String> json = jsonArray(rest);
        if (json != null) {
            return Command.exec(json);
        }
        if (rest.isEmpty() && l.heredocs().isEmpty()) {
            throw new InvalidArgumentException(name + " requires at least one argument");
        }
        return Command.shell(rest);
    }

    private Instruction arg(Line l) {
        List<String> w = words(noFlags(l));
        if (w.isEmpty()) {
            throw new InvalidArgumentException("ARG requires at least one argument");
        }
        List<ArgDef> defs = new ArrayList<>();
        for (String word : w) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (name.isEmpty()) {
                throw new InvalidArgumentException("ARG names can not be blank");
            }
            defs.add(new ArgDef(name, eq < 0 ? null : word.substring(eq + 1)));
        }
        return new Instruction.Arg(l, defs);
    }

    private Instruction copy(Line l, boolean add) {
        String name = add ? "ADD" : "COPY";
        Set<String> allowed = add ? Set.of("chown", "chmod", "link", "checksum", "keep-git-dir", "from", "exclude",
                "unpack") : Set.of("chown", "chmod", "link", "from", "parents", "exclude");
        Flagged f = flags(l, allowed, Set.of("link", "keep-git-dir", "parents", "unpack"));
        if (f.flags().containsKey("exclude") || f.flags().containsKey("parents")) {
            throw new InvalidArgumentException(name + " --exclude and --parents need the labs syntax, which Wharf"
                    + " does not support");
        }
        List<String> args;
        List<String> json = jsonArray(f.rest());
        args = json != null ? json : words(f.rest());
        int heredocs = l.heredocs().size();
        if (args.size() < 2) {
            throw new InvalidArgumentException(name + " requires at least two arguments, but only one was provided."
                    + " Destination could not be determined.");
        }
        List<String> sources = new ArrayList<>(args.subList(0, args.size() - 1));
        if (heredocs > 0) {
            sources.removeIf(s -> s.matches("\\d*<<-?.*"));
        }
        return new Instruction.Copy(l, add, sources, args.getLast(), f.one("from"), f.one("chown"), f.one("chmod"),
                f.bool("link"), f.one("checksum"), f.bool("keep-git-dir"), l.heredocs());
    }

    private Instruction volume(Line l) {
        String rest = noFlags(l);
        List<String> json = jsonArray(rest);
        List<String> paths = json != null ? json : words(rest);
        if (paths.isEmpty()) {
            throw new InvalidArgumentException("VOLUME requires at least one argument");
        }
        for (String p : paths) {
            if (p.isBlank()) {
                throw new InvalidArgumentException("VOLUME specified can not be an empty string");
            }
        }
        return new Instruction.Volume(l, paths);
    }

    private Instruction healthcheck(Line l) {
        Flagged f = flags(l, Set.of("interval", "timeout", "start-period", "start-interval", "retries"), Set.of());
        String rest = f.rest();
        if (rest.isEmpty()) {
            throw new InvalidArgumentException("HEALTHCHECK requires at least one argument");
        }
        int sp = wordEnd(rest, 0);
        String type = rest.substring(0, sp).toUpperCase(Locale.ROOT);
        String cmd = rest.substring(sp).strip();
        if (type.equals("NONE")) {
            if (!cmd.isEmpty() || !f.flags().isEmpty()) {
                throw new InvalidArgumentException("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(l, true, null, null, null, null, null, null);
        }
        if (!type.equals("CMD")) {
            throw new InvalidArgumentException("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        Command c = command(l, cmd, "HEALTHCHECK CMD");
        return new Instruction.Healthcheck(l, false, c, f.one("interval"), f.one("timeout"), f.one("start-period"),
                f.one("start-interval"), f.one("retries"));
    }

    private Instruction onbuild(Line l) {
        String rest = noFlags(l);
        if (rest.isEmpty()) {
            throw new InvalidArgumentException("ONBUILD requires at least one argument");
        }
        int sp = wordEnd(rest, 0);
        String trigger = rest.substring(0, sp).toUpperCase(Locale.ROOT);
        switch (trigger) {
            case "ONBUILD" -> throw new InvalidArgumentException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "FROM", "MAINTAINER" -> throw new InvalidArgumentException(trigger
                    + " isn't allowed as an ONBUILD trigger");
            default -> { }
        }
        // the trigger must parse as an instruction of its own
        var parsed = DockerfileParser.parse(rest);
        if (parsed.lines().size() != 1) {
            throw new InvalidArgumentException("ONBUILD requires one instruction");
        }
        parse(parsed.lines().getFirst());
        return new Instruction.OnBuild(l, rest);
    }

    // ---- argument helpers ----

    private static String exactlyOne(String rest, String name) {
        if (rest.isEmpty()) {
            throw new InvalidArgumentException(name + " requires exactly one argument");
        }
        return rest;
    }

    /** ENV and LABEL pairs: {@code a=1 b="x y"}, or the legacy {@code key value with blanks}. */
    private List<KeyValue> keyValues(String rest, String name) {
        List<String> w = words(rest);
        if (w.isEmpty()) {
            throw new InvalidArgumentException(name + " requires at least one argument");
        }
        List<KeyValue> out = new ArrayList<>();
        if (!w.getFirst().contains("=")) {
            if (w.size() < 2) {
                throw new InvalidArgumentException(name + " must have two arguments");
            }
            String key = w.getFirst();
            String value = rest.substring(rest.indexOf(key) + key.length()).strip();
            out.add(new KeyValue(key, value, true));
            return out;
        }
        for (String word : w) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new InvalidArgumentException("Syntax error - can't find = in \"" + word
                        + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw new InvalidArgumentException(name + " names can not be blank");
            }
            out.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1), false));
        }
        return out;
    }

    /** The words of {@code s}, split at blanks outside quotes, quotes and escapes kept for expansion. */
    private List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                break;
            }
            int end = wordEnd(s, pos);
            out.add(s.substring(pos, end));
            pos = end;
        }
        return out;
    }

    /** The JSON array of strings {@code s} is, or null when it is not one (then it is the shell form). */
    static List<String> jsonArray(String s) {
        String t = s.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(t);
            if (n == null || !n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    return null;
                }
                out.add(e.asText());
            }
            return out;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
