package dev.wharf.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The template functions: docker's own plus the Go builtins its users reach for. */
final class Functions {

    static final Set<String> NAMES = Set.of("json", "join", "split", "upper", "lower", "title", "pad", "truncate",
            "index", "len", "print", "println", "printf", "eq", "ne", "not", "and", "or");

    private Functions() {
    }

    static Object call(String fn, List<Object> a) {
        return switch (fn) {
            case "json" -> GoTemplate.json(one(fn, a));
            case "upper" -> str(one(fn, a)).toUpperCase();
            case "lower" -> str(one(fn, a)).toLowerCase();
            case "title" -> title(str(one(fn, a)));
            case "join" -> {
                need(fn, a, 2);
                List<String> parts = new ArrayList<>();
                GoTemplate.elements(a.get(0)).forEach(e -> parts.add(GoTemplate.print(e)));
                yield String.join(str(a.get(1)), parts);
            }
            case "split" -> {
                need(fn, a, 2);
                yield new ArrayList<Object>(Arrays.asList(str(a.get(0)).split(java.util.regex.Pattern.quote(
                        str(a.get(1))), -1)));
            }
            case "pad" -> {
                need(fn, a, 3);
                yield " ".repeat(num(a.get(1))) + str(a.get(0)) + " ".repeat(num(a.get(2)));
            }
            case "truncate" -> {
                need(fn, a, 2);
                String s = str(a.get(0));
                int n = num(a.get(1));
                yield s.length() > n ? s.substring(0, n) : s;
            }
            case "index" -> {
                needAtLeast(fn, a, 1);
                Object v = a.get(0);
                for (int i = 1; i < a.size(); i++) {
                    Object k = a.get(i);
                    if (v instanceof List<?> l) {
                        int idx = num(k);
                        if (idx < 0 || idx >= l.size()) {
                            throw new GoTemplate.TemplateException("error calling index: index out of range: " + idx);
                        }
                        v = GoTemplate.norm(l.get(idx));
                    } else if (v instanceof Map<?, ?> || v instanceof JsonNode) {
                        v = GoTemplate.field(v, str(k));
                        if (!(v instanceof String) && !(v instanceof Map) && !(v instanceof JsonNode)
                                && !(v instanceof List) && !(v instanceof Number) && !(v instanceof Boolean)) {
                            v = null;
                        }
                    } else {
                        throw new GoTemplate.TemplateException("error calling index: cannot index " + v);
                    }
                }
                yield v;
            }
            case "len" -> {
                Object v = one(fn, a);
                yield (long) switch (v) {
                    case String s -> s.length();
                    case List<?> l -> l.size();
                    case Map<?, ?> m -> m.size();
                    case JsonNode n -> n.size();
                    default -> throw new GoTemplate.TemplateException("error calling len: len of " + v);
                };
            }
            case "print" -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < a.size(); i++) {
                    boolean bothNonString = i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String);
                    sb.append(bothNonString ? " " : "").append(GoTemplate.print(a.get(i)));
                }
                yield sb.toString();
            }
            case "println" -> {
                List<String> parts = new ArrayList<>();
                a.forEach(x -> parts.add(GoTemplate.print(x)));
                yield String.join(" ", parts) + "\n";
            }
            case "printf" -> {
                needAtLeast(fn, a, 1);
                yield printf(str(a.get(0)), a.subList(1, a.size()));
            }
            case "eq" -> {
                need(fn, a, 2);
                yield Objects.equals(a.get(0), a.get(1)) || GoTemplate.print(a.get(0)).equals(GoTemplate.print(a.get(1)))
                        && a.get(0) != null && a.get(1) != null && a.get(0).getClass() == a.get(1).getClass();
            }
            case "ne" -> !(Boolean) call("eq", a);
            case "not" -> !GoTemplate.truthy(one(fn, a));
            case "and" -> {
                Object last = null;
                for (Object x : a) {
                    last = x;
                    if (!GoTemplate.truthy(x)) {
                        break;
                    }
                }
                yield last;
            }
            case "or" -> {
                Object last = null;
                for (Object x : a) {
                    last = x;
                    if (GoTemplate.truthy(x)) {
                        break;
                    }
                }
                yield last;
            }
            default -> throw new GoTemplate.TemplateException("function \"" + fn + "\" not defined");
        };
    }

    private static String printf(String format, List<Object> args) {
        StringBuilder sb = new StringBuilder();
        int ai = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                sb.append(c);
                continue;
            }
            char verb = format.charAt(++i);
            if (verb == '%') {
                sb.append('%');
            } else if (ai < args.size()) {
                Object v = args.get(ai++);
                sb.append(verb == 'q' ? GoTemplate.json(GoTemplate.print(v)) : GoTemplate.print(v));
            } else {
                sb.append("%!").append(verb).append("(MISSING)");
            }
        }
        return sb.toString();
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toTitleCase(c) : c);
            start = !Character.isLetterOrDigit(c);
        }
        return sb.toString();
    }

    private static Object one(String fn, List<Object> a) {
        need(fn, a, 1);
        return a.getFirst();
    }

    private static void needAtLeast(String fn, List<Object> a, int n) {
        if (a.size() < n) {
            throw new GoTemplate.TemplateException("wrong number of args for " + fn + ": want at least " + n + " got "
                    + a.size());
        }
    }

    private static void need(String fn, List<Object> a, int n) {
        if (a.size() != n) {
            throw new GoTemplate.TemplateException("wrong number of args for " + fn + ": want " + n + " got "
                    + a.size());
        }
    }

    private static String str(Object o) {
        return o instanceof String s ? s : GoTemplate.print(o);
    }

    private static int num(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        throw new GoTemplate.TemplateException("expected a number, got " + GoTemplate.print(o));
    }
}
