package dev.wharf.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.Cli;
import dev.wharf.model.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * What every {@code inspect} prints: the found objects as one indented JSON array, or each
 * through a {@code --format} template; then one line per name not found, and exit 1 if any.
 */
public final class InspectOutput {

    private InspectOutput() {
    }

    /** Fetches the raw JSON of an object by name; throws ApiException when the daemon refuses. */
    @FunctionalInterface
    public interface Fetch {
        byte[] raw(String name);
    }

    /** Inspects each name through {@code fetch}; a daemon error becomes docker's one error line. */
    public static void printEach(PrintStream out, PrintStream err, String format, List<String> names, Fetch fetch)
            throws IOException {
        List<String> found = new java.util.ArrayList<>();
        List<String> errors = new java.util.ArrayList<>();
        for (String name : names) {
            try {
                found.add(new String(fetch.raw(name), java.nio.charset.StandardCharsets.UTF_8).strip());
            } catch (dev.wharf.client.ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        print(out, err, format, found, errors);
    }

    /** {@code found} holds each object's JSON as the daemon sent it. */
    public static void print(PrintStream out, PrintStream err, String format, List<String> found,
            List<String> errors) throws IOException {
        GoTemplate tmpl = format == null || format.isBlank() || format.equals("json") ? null
                : GoTemplate.parse(format.replace("\\t", "\t").replace("\\n", "\n"));
        if (tmpl == null) {
            out.println(found.isEmpty() ? "[]" : JsonIndent.indent("[" + String.join(",", found) + "]", "", "    "));
        } else {
            for (String json : found) {
                JsonNode n = Json.mapper().readTree(json);
                out.println(tmpl.execute(n));
            }
        }
        if (!errors.isEmpty()) {
            out.flush();
            errors.forEach(err::println);
            throw new Cli.Exit(1, null);
        }
    }
}
