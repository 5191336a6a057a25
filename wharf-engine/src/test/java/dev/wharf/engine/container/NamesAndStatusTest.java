package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class NamesAndStatusTest {

    @Test
    void containerNames_followDockersRule() {
        assertThat(Names.validate("/web-1")).isEqualTo("web-1");
        assertThat(Names.validate("a.b_c")).isEqualTo("a.b_c");
        assertThatThrownBy(() -> Names.validate("-bad!")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid container name (-bad!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> Names.validate("x")).isInstanceOf(InvalidArgumentException.class);
        assertThat(Names.validate(Names.generate())).matches("[a-z]+_[a-z]+");
    }
}
