package dev.wharf.cli.format;

/**
 * Re-indents JSON text as Go's {@code json.Indent(dst, src, "", "    ")} does, keeping the
 * daemon's field order and escaping: {@code "Key": value}, empty {@code {}} and {@code []}
 * kept on one line.
 */
public final class JsonIndent {

    private JsonIndent() {
    }

    public static String indent(String json, String prefix, String unit) {
        StringBuilder sb = new StringBuilder(json.length() * 2);
        int depth = 0;
        boolean inString = false;
        boolean needIndent = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == '\\') {
                    sb.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needIndent && c != ']' && c != '}') {
                newline(sb, prefix, unit, depth);
                needIndent = false;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    sb.append(c);
                }
                case '{', '[' -> {
                    sb.append(c);
                    depth++;
                    needIndent = true;
                }
                case '}', ']' -> {
                    depth--;
                    if (needIndent) {
                        needIndent = false; // empty: "{}" or "[]"
                    } else {
                        newline(sb, prefix, unit, depth);
                    }
                    sb.append(c);
                }
                case ',' -> {
                    sb.append(c);
                    newline(sb, prefix, unit, depth);
                }
                case ':' -> sb.append(": ");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void newline(StringBuilder sb, String prefix, String unit, int depth) {
        sb.append('\n').append(prefix);
        for (int i = 0; i < depth; i++) {
            sb.append(unit);
        }
    }
}
