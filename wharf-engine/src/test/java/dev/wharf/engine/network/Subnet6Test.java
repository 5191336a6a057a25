package dev.wharf.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class Subnet6Test {

    @Test
    void parse_normalisesToTheNetworkAddress_andPrintsTheShortForm() {
        Subnet6 s = Subnet6.parse("FD00:0:0:0:dead:beef:0:1/64");
        assertThat(s.toString()).isEqualTo("fd00::/64");
        assertThat(Subnet6.text(s.at(2))).isEqualTo("fd00::2");
        assertThat(Subnet6.text(s.last())).isEqualTo("fd00::ffff:ffff:ffff:ffff");
    }

    @Test
    void text_compressesTheLongestZeroRunOnly_andNotASingleZeroGroup() {
        assertThat(Subnet6.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Subnet6.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Subnet6.canonical("::1")).isEqualTo("::1");
        assertThat(Subnet6.canonical("fd00::")).isEqualTo("fd00::");
        assertThat(Subnet6.text(BigInteger.ZERO)).isEqualTo("::");
    }

    @Test
    void containsAndOverlaps() {
        Subnet6 a = Subnet6.parse("fd00:1::/64");
        assertThat(a.contains(Subnet6.ip("fd00:1::ffff"))).isTrue();
        assertThat(a.contains(Subnet6.ip("fd00:2::1"))).isFalse();
        assertThat(a.overlaps(Subnet6.parse("fd00::/16"))).isTrue();
        assertThat(a.overlaps(Subnet6.parse("fd00:2::/64"))).isFalse();
        assertThat(Subnet6.parse("fd00::/126").at(4)).isNull();
    }

    @Test
    void randomUla_isAUniqueLocalSlash64() {
        Subnet6 s = Subnet6.randomUla();
        assertThat(s.prefix()).isEqualTo(64);
        assertThat(s.toString()).startsWith("fd").endsWith("::/64");
    }

    @Test
    void badInput_isA400() {
        assertThatThrownBy(() -> Subnet6.parse("fd00::/129")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Subnet6.parse("10.0.0.0/8")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Subnet6.ip("example.com")).isInstanceOf(InvalidArgumentException.class);
    }
}
