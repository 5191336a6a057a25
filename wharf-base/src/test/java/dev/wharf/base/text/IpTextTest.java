package dev.wharf.base.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpTextTest {

    private static String text(String literal) {
        return IpText.of(InetAddress.ofLiteral(literal));
    }

    /** The examples of RFC 5952 section 4, and what Go's net.IP.String() prints for them. */
    @Test
    void ipv6_asRfc5952Writes() {
        assertThat(text("2001:0db8:0000:0000:0000:0000:0000:0033")).isEqualTo("2001:db8::33");
        assertThat(text("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1"); // the first of equal runs
        assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1"); // one zero group stays
        assertThat(text("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1"); // the longest run
        assertThat(text("2001:DB8::AB")).isEqualTo("2001:db8::ab");
        assertThat(text("::")).isEqualTo("::");
        assertThat(text("::1")).isEqualTo("::1");
        assertThat(text("fe80::")).isEqualTo("fe80::");
        assertThat(text("fd00:1:0:0:0:0:0:0")).isEqualTo("fd00:1::");
    }

    @Test
    void ipv4_dotted() {
        assertThat(text("172.17.0.1")).isEqualTo("172.17.0.1");
        assertThat(text("::ffff:10.0.0.1")).isEqualTo("10.0.0.1"); // a mapped address is IPv4, as in Go
    }

    @Test
    void ipv6_needsSixteenBytes() {
        assertThatThrownBy(() -> IpText.ipv6(new byte[4])).isInstanceOf(IllegalArgumentException.class);
    }
}
