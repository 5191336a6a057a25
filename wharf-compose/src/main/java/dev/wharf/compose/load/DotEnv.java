package dev.wharf.compose.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code .env} and {@code env_file} format: {@code KEY=value} lines, {@code #} comments, an
 * optional {@code export }, single quotes taken literally, double quotes with {@code \n} escapes,
 * and {@code ${VAR}} substitutions in unquoted and double-quoted values from the variables read so
 * far and the given environment. A line with a key and no {@code =} takes the key's value from the
 * environment (and is left out when unset).
 */
final class DotEnv {

    private DotEnv() {
    }

    static Map<String, String> read(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ComposeFileException("cannot read env file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text, env);
    }

    static Map<String, String> parse(String file, String text, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).stripLeading();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new ComposeFileException(new Location(file, n + 1, 1), null, "invalid variable name \"" + key + "\"");
            }
            if (eq < 0) {
                String v = env.get(key);
                if (v != null) {
                    out.put(key, v);
                }
                continue;
            }
            String raw = line.substring(eq + 1).strip();
            Map<String, String> scope = new LinkedHashMap<>(env);
            scope.putAll(out);
            Interpolator interp = new Interpolator(scope, w -> { });
            String value;
            try {
                if (raw.startsWith("'")) {
                    int close = raw.indexOf('\'', 1);
                    value = close < 0 ? raw.substring(1) : raw.substring(1, close);
                } else if (raw.startsWith("\"")) {
                    int close = raw.lastIndexOf('"');
                    String inner = close <= 0 ? raw.substring(1) : raw.substring(1, close);
                    value = interp.apply(inner.replace("\\n", "\n").replace("\\\"", "\""));
                } else {
                    int hash = raw.indexOf(" #");
                    value = interp.apply((hash < 0 ? raw : raw.substring(0, hash)).strip());
                }
            } catch (Interpolator.Failure f) {
                throw new ComposeFileException(new Location(file, n + 1, 1), key, f.getMessage());
            }
            out.put(key, value);
        }
        return out;
    }
}
