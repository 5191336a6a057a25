package dev.wharf.builder.dispatch;

import dev.wharf.builder.instruction.Command;
import dev.wharf.builder.instruction.Instruction;
import dev.wharf.builder.parse.Heredoc;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The argv of a RUN, heredocs included, as BuildKit makes it: {@code RUN <<EOF} alone runs the
 * body with the shell (or, when it starts with {@code #!}, as a script mounted at
 * {@code /dev/pipes/<name>}); any other heredoc use hands the whole text to the shell.
 */
final class RunCommand {

    private RunCommand() {
    }

    static List<String> argv(Instruction.Run r, List<String> shell, List<BuildBackend.Mount> mounts) {
        Command cmd = r.command();
        if (r.heredocs().isEmpty() || !cmd.shellForm()) {
            return cmd.argv(shell);
        }
        String text = cmd.args().getFirst().strip();
        Heredoc first = r.heredocs().getFirst();
        if (r.heredocs().size() == 1 && text.matches("\\d*<<-?[\"']?" + Pattern.quote(first.name()) + "[\"']?")) {
            if (first.content().startsWith("#!")) {
                String target = "/dev/pipes/" + first.name();
                mounts.add(new BuildBackend.Mount("inline", target, null, null, null, true, "shared", "0755", null,
                        null, false, null, null, first.content()));
                return List.of(target);
            }
            List<String> argv = new ArrayList<>(shell);
            argv.add(first.content());
            return argv;
        }
        StringBuilder full = new StringBuilder(cmd.args().getFirst());
        for (Heredoc h : r.heredocs()) {
            full.append('\n').append(h.content()).append(h.name());
        }
        List<String> argv = new ArrayList<>(shell);
        argv.add(full.toString());
        return argv;
    }

    /** The heredocs as they enter a cache key. */
    static String heredocText(List<Heredoc> docs) {
        StringBuilder s = new StringBuilder();
        for (Heredoc h : docs) {
            s.append('\n').append(h.name()).append('\n').append(h.content());
        }
        return s.toString();
    }

    /** HEALTHCHECK's Test: {@code CMD-SHELL} for the shell form, {@code CMD} for the exec form. */
    static List<String> healthTest(Command c) {
        List<String> t = new ArrayList<>();
        t.add(c.shellForm() ? "CMD-SHELL" : "CMD");
        t.addAll(c.args());
        return t;
    }
}
