package dev.wharf.base.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerIdTest {

    @Test
    void randomIdsAreFullHexAndDistinct() {
        ContainerId a = ContainerId.random();
        ContainerId b = ContainerId.random();
        assertThat(a.value()).matches("[0-9a-f]{64}");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.shortId()).isEqualTo(a.value().substring(0, 12));
        assertThat(a.toString()).isEqualTo(a.value());
        assertThat(new ContainerId(a.value())).isEqualTo(a);
    }

    @Test
    void namesPrefixesAndUpperCaseAreNotContainerIds() {
        String full = ContainerId.random().value();
        for (String bad : new String[] {null, "", "c1", "hello", full.substring(0, 12), full.toUpperCase(), full + "0",
                "../" + full.substring(3)}) {
            assertThatThrownBy(() -> new ContainerId(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThat(HexId.isFull(bad)).isFalse();
        }
    }

    @Test
    void hexIdsAreFresh64Hex() {
        String a = HexId.random();
        assertThat(HexId.isFull(a)).isTrue();
        assertThat(HexId.random()).isNotEqualTo(a);
    }
}
