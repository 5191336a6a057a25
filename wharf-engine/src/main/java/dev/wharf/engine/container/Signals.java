package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.Map;

/** Signal names and numbers (x86_64 Linux), as {@code kill -s} and StopSignal give them. */
final class Signals {

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5), Map.entry("ABRT", 6),
            Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {
    }

    /** Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}; null or empty gives {@code dflt}. */
    static int parse(String s, int dflt) {
        if (s == null || s.isEmpty()) {
            return dflt;
        }
        if (s.matches("\\d+")) {
            int n = Integer.parseInt(s);
            if (n < 1 || n > 64) {
                throw new InvalidArgumentException("Invalid signal: " + s);
            }
            return n;
        }
        String u = s.toUpperCase();
        if (u.startsWith("SIG")) {
            u = u.substring(3);
        }
        if (u.startsWith("RTMIN+")) {
            return 34 + Integer.parseInt(u.substring(6));
        }
        Integer n = BY_NAME.get(u);
        if (n == null) {
            throw new InvalidArgumentException("Invalid signal: " + s);
        }
        return n;
    }
}
