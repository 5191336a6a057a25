package dev.wharf.builder.instruction;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK: the exec form ({@code ["a", "b"]}) as its
 * words, or the shell form as one string that the image's shell runs ({@code shellForm}).
 */
public record Command(boolean shellForm, List<String> args) {

    public Command {
        args = List.copyOf(args);
    }

    public static Command shell(String text) {
        return new Command(true, List.of(text));
    }

    public static Command exec(List<String> words) {
        return new Command(false, words);
    }

    /** The full argv with the shell in front for the shell form. */
    public List<String> argv(List<String> shell) {
        if (!shellForm) {
            return args;
        }
        List<String> out = new java.util.ArrayList<>(shell);
        out.addAll(args);
        return out;
    }
}
