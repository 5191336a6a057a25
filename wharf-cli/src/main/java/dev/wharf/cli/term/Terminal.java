package dev.wharf.cli.term;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The local terminal, driven through {@code stty} on {@code /dev/tty}: whether we have one, its
 * size, and raw mode for {@code run -t} (restored by {@link RawMode#close()}).
 */
public class Terminal {

    /** Whether stdin and stdout are both a terminal. */
    public boolean isInteractive() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Whether standard input is a terminal (what {@code -it} needs; stdout may be redirected). */
    public boolean stdinIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return isInteractive();
        }
    }

    /**
     * Refuses {@code -t} with {@code -i} when stdin is not a terminal, before anything is made, as the
     * docker CLI does: raw mode and resizing need a terminal, and a pipe would hang the session.
     */
    public void checkTty(boolean attachStdin, boolean tty) {
        if (tty && attachStdin && !stdinIsTerminal()) {
            throw new dev.wharf.cli.Cli.Exit(1, "the input device is not a TTY");
        }
    }

    /** {rows, cols}, or null when unknown. */
    public int[] size() {
        String s = stty("size");
        if (s == null) {
            return null;
        }
        String[] p = s.strip().split("\\s+");
        try {
            return p.length == 2 ? new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Puts the terminal in raw mode without echo; close to restore. */
    public RawMode raw() {
        String saved = stty("-g");
        if (saved == null) {
            return () -> { };
        }
        stty("raw", "-echo");
        String state = saved.strip();
        Thread restore = new Thread(() -> stty(state));
        Runtime.getRuntime().addShutdownHook(restore);
        return () -> {
            stty(state);
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        };
    }

    /**
     * Runs {@code handler} on each {@code sig} ("INT", "TERM") this process receives, instead of
     * ending it; a signal this platform lacks is ignored.
     */
    public void onSignal(String sig, Runnable handler) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> handler.run());
        } catch (IllegalArgumentException e) {
            // signal not available here
        }
    }

    /** Restores the terminal state saved by {@link #raw()}. */
    @FunctionalInterface
    public interface RawMode extends AutoCloseable {
        @Override
        void close();
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
