package dev.wharf.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subset of Go's text/template, enough for docker's {@code --format}: fields ({@code .A.B}),
 * string and number literals, pipes, the functions docker adds (json, join, split, upper, lower,
 * title, pad, truncate) and some builtins (index, len, print, println, printf, eq, ne, not, and,
 * or), {@code if}/{@code else}, {@code range}, {@code with}, and {@code {{-}} trimming. Data is
 * a Map, a Jackson tree, a List, or a plain value.
 */
public final class GoTemplate {

    /** A parse or execution error, worded like Go's. */
    public static final class TemplateException extends RuntimeException {
        public TemplateException(String message) {
            super(message);
        }
    }

    /** A field that does not exist prints as {@code <no value>}. */
    private static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private sealed interface Node permits Text, Action, Block {
    }

    private record Text(String text) implements Node {
    }

    private record Action(List<List<Object>> pipeline) implements Node {
    }

    private record Block(String kind, List<List<Object>> pipeline, List<Node> body, List<Node> elseBody)
            implements Node {
    }

    private record Field(List<String> path) {
    }

    private record Literal(Object value) {
    }

    private final List<Node> root;

    private GoTemplate(List<Node> root) {
        this.root = root;
    }

    /** A {@code --format} value: {@code json} is the whole object as JSON, anything else a template. */
    public static GoTemplate ofFormat(String format) {
        return parse(format.equals("json") ? "{{json .}}" : format);
    }

    public static GoTemplate parse(String text) {
        List<Object> items = lex(text);
        Iterator<Object> it = items.iterator();
        List<Node> nodes = new ArrayList<>();
        String end = parseList(it, nodes);
        if (end != null) {
            throw new TemplateException("template: :1: unexpected {{" + end + "}}");
        }
        return new GoTemplate(nodes);
    }

    public String execute(Object data) {
        StringBuilder sb = new StringBuilder();
        run(root, data, sb);
        return sb.toString();
    }

    // ---- lexing: text pieces (String) and actions (String[] {content}) ----

    private static List<Object> lex(String text) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        boolean trimNext = false;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            String piece = open < 0 ? text.substring(i) : text.substring(i, open);
            if (trimNext) {
                piece = piece.stripLeading();
            }
            if (open < 0) {
                out.add(piece);
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateException("template: :1: unclosed action");
            }
            String content = text.substring(open + 2, close);
            if (content.startsWith("-") && (content.length() == 1 || Character.isWhitespace(content.charAt(1)))) {
                piece = piece.stripTrailing();
                content = content.substring(1);
            }
            trimNext = content.endsWith("-") && (content.length() == 1
                    || Character.isWhitespace(content.charAt(content.length() - 2)));
            if (trimNext) {
                content = content.substring(0, content.length() - 1);
            }
            out.add(piece);
            out.add(new String[] {content.strip()});
            i = close + 2;
        }
        return out;
    }

    /** Parses nodes until {{end}} or {{else}}, which it returns (null at the end of input). */
    private static String parseList(Iterator<Object> it, List<Node> nodes) {
        while (it.hasNext()) {
            Object o = it.next();
            if (o instanceof String s) {
                if (!s.isEmpty()) {
                    nodes.add(new Text(s));
                }
                continue;
            }
            String content = ((String[]) o)[0];
            if (content.startsWith("/*")) {
                continue;
            }
            String word = content.split("\\s+", 2)[0];
            switch (word) {
                case "end", "else" -> {
                    return content;
                }
                case "if", "range", "with" -> {
                    List<List<Object>> p = parsePipeline(content.substring(word.length()).strip());
                    List<Node> body = new ArrayList<>();
                    List<Node> elseBody = new ArrayList<>();
                    String stop = parseList(it, body);
                    if (stop != null && stop.startsWith("else")) {
                        String rest = stop.substring(4).strip();
                        if (rest.startsWith("if ")) {
                            // {{else if x}} is {{else}}{{if x}}...{{end}} sharing the outer end
                            List<Node> inner = new ArrayList<>();
                            List<Node> innerElse = new ArrayList<>();
                            String s2 = parseList(it, inner);
                            if (s2 != null && s2.startsWith("else")) {
                                s2 = parseList(it, innerElse);
                            }
                            elseBody.add(new Block("if", parsePipeline(rest.substring(3).strip()), inner, innerElse));
                            stop = s2;
                        } else {
                            stop = parseList(it, elseBody);
                        }
                    }
                    if (stop == null || !stop.equals("end")) {
                        throw new TemplateException("template: :1: unexpected EOF");
                    }
                    nodes.add(new Block(word, p, body, elseBody));
                }
                default -> nodes.add(new Action(parsePipeline(content)));
            }
        }
        return null;
    }

    private static List<List<Object>> parsePipeline(String s) {
        List<List<Object>> cmds = new ArrayList<>();
        List<Object> cur = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '|') {
                cmds.add(cur);
                cur = new ArrayList<>();
                i++;
            } else if (c == '"' || c == '`') {
                int j = i + 1;
                StringBuilder lit = new StringBuilder();
                while (j < s.length() && s.charAt(j) != c) {
                    char d = s.charAt(j);
                    if (c == '"' && d == '\\' && j + 1 < s.length()) {
                        char e = s.charAt(++j);
                        lit.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
                    } else {
                        lit.append(d);
                    }
                    j++;
                }
                if (j >= s.length()) {
                    throw new TemplateException("template: :1: unterminated quoted string");
                }
                cur.add(new Literal(lit.toString()));
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && s.charAt(j) != '|') {
                    j++;
                }
                cur.add(word(s.substring(i, j)));
                i = j;
            }
        }
        cmds.add(cur);
        for (List<Object> cmd : cmds) {
            if (cmd.isEmpty()) {
                throw new TemplateException("template: :1: missing value for command");
            }
        }
        return cmds;
    }

    private static Object word(String w) {
        if (w.equals(".")) {
            return new Field(List.of());
        }
        if (w.startsWith(".")) {
            return new Field(List.of(w.substring(1).split("\\.")));
        }
        if (w.equals("true") || w.equals("false")) {
            return new Literal(Boolean.parseBoolean(w));
        }
        if (w.equals("nil")) {
            return new Literal(null);
        }
        if (Character.isDigit(w.charAt(0)) || w.charAt(0) == '-') {
            try {
                return new Literal(Long.parseLong(w));
            } catch (NumberFormatException e) {
                throw new TemplateException("template: :1: bad number syntax: \"" + w + "\"");
            }
        }
        if (!Functions.NAMES.contains(w)) {
            throw new TemplateException("template: :1: function \"" + w + "\" not defined");
        }
        return w;
    }

    // ---- execution ----

    private void run(List<Node> nodes, Object dot, StringBuilder sb) {
        for (Node n : nodes) {
            switch (n) {
                case Text t -> sb.append(t.text());
                case Action a -> sb.append(print(eval(a.pipeline(), dot)));
                case Block b -> {
                    Object v = eval(b.pipeline(), dot);
                    switch (b.kind()) {
                        case "if" -> run(truthy(v) ? b.body() : b.elseBody(), dot, sb);
                        case "with" -> {
                            if (truthy(v)) {
                                run(b.body(), v, sb);
                            } else {
                                run(b.elseBody(), dot, sb);
                            }
                        }
                        default -> {
                            List<Object> items = elements(v);
                            if (items.isEmpty()) {
                                run(b.elseBody(), dot, sb);
                            }
                            for (Object item : items) {
                                run(b.body(), item, sb);
                            }
                        }
                    }
                }
            }
        }
    }

    private Object eval(List<List<Object>> pipeline, Object dot) {
        Object prev = null;
        boolean first = true;
        for (List<Object> cmd : pipeline) {
            Object head = cmd.getFirst();
            if (head instanceof String fn) {
                List<Object> args = new ArrayList<>();
                for (int i = 1; i < cmd.size(); i++) {
                    args.add(arg(cmd.get(i), dot));
                }
                if (!first) {
                    args.add(prev);
                }
                prev = Functions.call(fn, args);
            } else {
                if (cmd.size() > 1 || !first) {
                    throw new TemplateException("template: :1: can't give argument to non-function " + head);
                }
                prev = arg(head, dot);
            }
            first = false;
        }
        return prev;
    }

    private static Object arg(Object a, Object dot) {
        if (a instanceof Literal l) {
            return l.value();
        }
        if (a instanceof Field f) {
            Object v = dot;
            for (String name : f.path()) {
                v = field(v, name);
            }
            return v;
        }
        throw new TemplateException("template: :1: function " + a + " used as an argument");
    }

    static Object field(Object v, String name) {
        if (v instanceof Map<?, ?> m) {
            return m.containsKey(name) ? norm(m.get(name)) : MISSING;
        }
        if (v instanceof JsonNode n && n.isObject()) {
            JsonNode c = n.get(name);
            return c == null ? MISSING : norm(c);
        }
        if (v == null || v == MISSING) {
            return MISSING;
        }
        throw new TemplateException("template: :1: can't evaluate field " + name + " in type "
                + v.getClass().getSimpleName());
    }

    /** Jackson scalars and arrays become Java values; objects stay trees. */
    static Object norm(Object o) {
        if (!(o instanceof JsonNode n)) {
            return o;
        }
        if (n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(e -> l.add(norm(e)));
            return l;
        }
        return n;
    }

    static List<Object> elements(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(e -> out.add(norm(e)));
        } else if (v instanceof Map<?, ?> m) {
            new TreeMap<>(m).values().forEach(e -> out.add(norm(e)));
        } else if (v instanceof JsonNode n && n.isObject()) {
            new TreeMap<>(Json.mapper().convertValue(n, Map.class)).keySet()
                    .forEach(k -> out.add(norm(n.get((String) k))));
        }
        return out;
    }

    static boolean truthy(Object v) {
        if (v == null || v == MISSING) {
            return false;
        }
        return switch (v) {
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Long l -> l != 0;
            case Double d -> d != 0;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case JsonNode n -> n.size() > 0;
            default -> true;
        };
    }

    /** fmt.Sprint of a value. */
    static String print(Object v) {
        if (v == MISSING) {
            return "<no value>";
        }
        if (v == null) {
            return "<nil>";
        }
        return switch (v) {
            case String s -> s;
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e21 ? Long.toString(d.longValue())
                    : Units.formatG(d, 17).replaceAll("0+$", "");
            case List<?> l -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i > 0 ? " " : "").append(print(norm(l.get(i))));
                }
                yield sb.append(']').toString();
            }
            case Map<?, ?> m -> printMap(new TreeMap<>(m));
            case JsonNode n -> printMap(new TreeMap<>(Json.mapper().convertValue(n, Map.class)));
            default -> v.toString();
        };
    }

    private static String printMap(Map<?, ?> m) {
        StringBuilder sb = new StringBuilder("map[");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sb.append(first ? "" : " ").append(e.getKey()).append(':').append(print(norm(e.getValue())));
            first = false;
        }
        return sb.append(']').toString();
    }

    static String json(Object v) {
        // the common cases without databind's ObjectMapper (its set-up costs more than a whole `wharf ps`)
        switch (v) {
            case null -> {
                return "null";
            }
            case String s -> {
                return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
            }
            case Boolean b -> {
                return b.toString();
            }
            case Integer i -> {
                return i.toString();
            }
            case Long l -> {
                return l.toString();
            }
            default -> {
                if (v == MISSING) {
                    return "null";
                }
            }
        }
        try {
            return Json.mapper().writeValueAsString(v == MISSING ? null : v);
        } catch (JsonProcessingException e) {
            throw new TemplateException(e.getOriginalMessage());
        }
    }
}
