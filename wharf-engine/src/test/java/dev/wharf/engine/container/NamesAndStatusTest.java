package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.time.Duration;
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

    @Test
    void humanDurations_asGoUnitsPrintsThem() {
        assertThat(ContainerViews.human(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(ContainerViews.human(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(ContainerViews.human(Duration.ofSeconds(42))).isEqualTo("42 seconds");
        assertThat(ContainerViews.human(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(ContainerViews.human(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(ContainerViews.human(Duration.ofMinutes(61))).isEqualTo("About an hour");
        assertThat(ContainerViews.human(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(ContainerViews.human(Duration.ofDays(3))).isEqualTo("3 days");
    }
}
