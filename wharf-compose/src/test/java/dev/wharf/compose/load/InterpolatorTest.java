package dev.wharf.compose.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {

    private final List<String> warnings = new ArrayList<>();
    private final Interpolator i = new Interpolator(Map.of("A", "a", "E", ""), warnings::add);

    @Test
    void forms() {
        assertThat(i.apply("$A-${A}")).isEqualTo("a-a");
        assertThat(i.apply("${E:-d} ${E-d} ${U-d} ${U:-d}")).isEqualTo("d  d d");
        assertThat(i.apply("${A:+p} ${E:+p} ${E+p} ${U+p}")).isEqualTo("p  p ");
        assertThat(i.apply("$$A costs $$5")).isEqualTo("$A costs $5");
        assertThat(i.apply("${U:-${A}x}")).isEqualTo("ax");
        assertThat(warnings).isEmpty();
    }

    @Test
    void unsetWithoutDefault_isBlankWithAWarning() {
        assertThat(i.apply("[$NOPE]")).isEqualTo("[]");
        assertThat(warnings).containsExactly("The \"NOPE\" variable is not set. Defaulting to a blank string.");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> i.apply("${U:?set it}")).hasMessage("required variable U is missing a value: set it");
        assertThatThrownBy(() -> i.apply("${E:?}")).hasMessage("required variable E is missing a value");
        assertThat(i.apply("${E?}")).isEmpty();
        assertThatThrownBy(() -> i.apply("${A")).hasMessageContaining("invalid interpolation format");
        assertThatThrownBy(() -> i.apply("${}")).hasMessageContaining("invalid interpolation format");
    }
}
