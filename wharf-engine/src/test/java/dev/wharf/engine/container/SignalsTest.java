package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesWithOrWithoutSig_numbers_andTheDefault() {
        assertThat(Signals.parse("TERM", 0)).isEqualTo(15);
        assertThat(Signals.parse("SIGKILL", 0)).isEqualTo(9);
        assertThat(Signals.parse("sigint", 0)).isEqualTo(2);
        assertThat(Signals.parse("10", 0)).isEqualTo(10);
        assertThat(Signals.parse("RTMIN+3", 0)).isEqualTo(37);
        assertThat(Signals.parse(null, 15)).isEqualTo(15);
    }

    @Test
    void unknownSignal_isA400() {
        assertThatThrownBy(() -> Signals.parse("NOPE", 0)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid signal: NOPE");
        assertThatThrownBy(() -> Signals.parse("99", 0)).isInstanceOf(InvalidArgumentException.class);
    }
}
