package dev.wharf.cli;

import dev.wharf.cli.term.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code wharf} in-process against a daemon address, capturing stdout, stderr and the exit code. */
final class CliHarness {

    record Result(int code, String out, String err) {
    }

    static final Terminal NO_TTY = new Terminal() {
        @Override
        public boolean isInteractive() {
            return false;
        }
    };

    static Result run(String host, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>();
        if (host != null) {
            all.add("-H");
            all.add(host);
        }
        all.addAll(List.of(args));
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(all.toArray(String[]::new), o, e,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), NO_TTY, Map.of());
        o.flush();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private CliHarness() {
    }
}
