package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DetachKeysTest {

    @Test
    void parse_asTermToBytes() {
        assertThat(DetachKeys.parse(null)).containsExactly(0x10, 0x11);
        assertThat(DetachKeys.parse("")).containsExactly(0x10, 0x11);
        assertThat(DetachKeys.parse("ctrl-x")).containsExactly(0x18);
        assertThat(DetachKeys.parse("ctrl-@,ctrl-a,ctrl-z,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_"))
                .containsExactly(0, 1, 26, 27, 28, 29, 30, 31);
        assertThat(DetachKeys.parse("a,DEL,ctrl-e")).containsExactly('a', 127, 5);
        for (String bad : new String[] {"ctrl-", "ctrl-A", "ctrl-1", "ab", "a,,b", "del"}) {
            assertThatThrownBy(() -> DetachKeys.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("Invalid detach keys (" + bad + ") provided");
        }
    }

    /** Feeds {@code chunks} through a matcher; returns what passes and whether it detached. */
    private static String feed(byte[] keys, String... chunks) {
        DetachKeys.Matcher m = new DetachKeys.Matcher(keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String c : chunks) {
            byte[] b = c.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.writeBytes(m.filter(b, b.length));
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1) + (m.detached() ? "|detached" : "");
    }

    @Test
    void matcher_findsTheSequenceHowEverTheReadsCut() {
        byte[] pq = DetachKeys.DEFAULT;
        assertThat(feed(pq, "ls\n", "\u0010", "\u0011", "never")).isEqualTo("ls\n|detached");
        assertThat(feed(pq, "ls\n\u0010\u0011after")).isEqualTo("ls\n|detached");
        assertThat(feed(pq, "a\u0010", "\u0011")).isEqualTo("a|detached");
    }

    @Test
    void matcher_releasesAHeldPrefixThatGoesNowhere() {
        byte[] pq = DetachKeys.DEFAULT;
        assertThat(feed(pq, "\u0010", "x")).isEqualTo("\u0010x");
        assertThat(feed(pq, "\u0010\u0010\u0011")).isEqualTo("\u0010|detached");
        assertThat(feed("aab".getBytes(), "aaab")).isEqualTo("a|detached");
        assertThat(feed("abab".getBytes(), "ababab")).isEqualTo("|detached");
        assertThat(feed("abac".getBytes(), "ababac")).isEqualTo("ab|detached");
        assertThat(feed(pq, "\u0010")).isEqualTo(""); // held: the next read decides
    }
}
