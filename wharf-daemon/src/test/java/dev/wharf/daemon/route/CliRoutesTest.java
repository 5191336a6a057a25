package dev.wharf.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The launcher's request body, as CliRoutes reads it, and the signals it forwards. */
class CliRoutesTest {

    private static byte[] fields(String... f) {
        return (String.join("\0", f) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBody_givesTheArgumentsTheTerminalsAndTheEnvironment() {
        CliRoutes.Request r = CliRoutes.Request.parse(fields("1", "o", "2", "ps", "-a", "HOME=/root", "X=a=b",
                "HOME=/second", "junk"));

        assertThat(r.args()).containsExactly("ps", "-a");
        assertThat(r.stdoutTty()).isTrue();
        assertThat(r.stdinTty()).isFalse();
        // the first of a name wins, as getenv(3) finds it; an entry without '=' is no variable
        assertThat(r.env()).containsOnly(java.util.Map.entry("HOME", "/root"), java.util.Map.entry("X", "a=b"));
    }

    @Test
    void aMalformedBody_isRefused() {
        List<byte[]> bad = new ArrayList<>(List.of(new byte[0], fields("2", "", "0"), fields("1", ""),
                fields("1", "", "3", "ps"), fields("1", "", "-1"), fields("1", "", "x")));
        bad.add("1\0\0001\0ps".getBytes(StandardCharsets.UTF_8)); // the last field not terminated
        for (byte[] b : bad) {
            assertThatThrownBy(() -> CliRoutes.Request.parse(b)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("malformed wharf command line");
        }
    }

    @Test
    void forwardedSignals_reachTheHandlersTheCommandSet() {
        CliRoutes.LauncherTerminal t = new CliRoutes.LauncherTerminal(false, false);
        AtomicInteger ints = new AtomicInteger();
        AtomicInteger terms = new AtomicInteger();
        t.onSignal("INT", ints::incrementAndGet);
        t.onSignal("TERM", terms::incrementAndGet);

        CliRoutes.LauncherTerminal none = new CliRoutes.LauncherTerminal(false, false);
        assertThat(none.signal(2)).as("no handler: the launcher ends by the signal").isFalse();

        assertThat(t.signal(2)).isTrue();
        assertThat(t.signal(2)).isTrue();
        assertThat(t.signal(15)).isTrue();
        assertThat(t.signal(9)).isFalse(); // not one the launcher forwards

        assertThat(ints.get()).isEqualTo(2);
        assertThat(terms.get()).isEqualTo(1);
        assertThat(t.isInteractive()).isFalse();
        assertThat(t.size()).isNull();
    }
}
