package dev.wharf.engine.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void mapOfBooleans_asGoClientsSendIt() {
        Filters f = Filters.parse("{\"label\":{\"a=b\":true,\"c\":true},\"status\":{\"exited\":true}}");
        assertThat(f.get("label")).containsExactly("a=b", "c");
        assertThat(f.get("status")).containsExactly("exited");
    }

    @Test
    void mapOfLists_asDockerPyAndDockerJavaSendIt() {
        Filters f = Filters.parse("{\"label\":[\"com.docker.compose.project=x\"],\"name\":[\"web\"]}");
        assertThat(f.get("label")).containsExactly("com.docker.compose.project=x");
        assertThat(f.has("name")).isTrue();
        assertThat(f.has("id")).isFalse();
    }

    @Test
    void labelsMatch_needsEveryKeyAndValue() {
        Filters f = Filters.parse("{\"label\":[\"a=b\",\"c\"]}");
        assertThat(f.labelsMatch(Map.of("a", "b", "c", ""))).isTrue();
        assertThat(f.labelsMatch(Map.of("a", "x", "c", ""))).isFalse();
        assertThat(f.labelsMatch(Map.of("a", "b"))).isFalse();
        assertThat(f.labelsMatch(null)).isFalse();
    }

    @Test
    void malformedOrUnknown_isA400() {
        assertThatThrownBy(() -> Filters.parse("{not json")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Filters.parse("[1]")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Filters.parse("{\"bogus\":[\"x\"]}").only(Set.of("name")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'bogus'");
        assertThat(Filters.parse("").values()).isEmpty();
    }

    @Test
    void notAMapOfListsOrBooleans_isDockersInvalidFilter() {
        for (String bad : new String[] {"{\"name\":\"web\"}", "{\"name\":[1]}", "{\"name\":{\"web\":\"yes\"}}",
                "null", "\"x\""}) {
            assertThatThrownBy(() -> Filters.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("invalid filter");
        }
    }

    @Test
    void bool_acceptsOnlyOneTruthValue() {
        assertThat(Filters.parse("{\"dangling\":[\"1\"]}").bool("dangling", false)).isTrue();
        assertThat(Filters.parse("{\"dangling\":[\"false\"]}").bool("dangling", true)).isFalse();
        assertThat(Filters.NONE.bool("dangling", true)).isTrue();
        assertThatThrownBy(() -> Filters.parse("{\"dangling\":[\"yes\"]}").bool("dangling", false))
                .hasMessage("invalid filter 'dangling=[yes]'");
        assertThatThrownBy(() -> Filters.parse("{\"dangling\":[\"true\",\"false\"]}").bool("dangling", false))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void regexFuzzyAndExactMatch_asMobysArgs() {
        Filters f = Filters.parse("{\"name\":[\"^we.$\"],\"container\":[\"ab\"],\"driver\":[\"local\"]}");
        assertThat(f.regexMatch("name", "web")).isTrue();
        assertThat(f.regexMatch("name", "webs")).isFalse();
        assertThat(Filters.parse("{\"name\":[\"[\"]}").regexMatch("name", "[")).isTrue();
        assertThat(f.fuzzyMatch("container", "abc")).isTrue();
        assertThat(f.fuzzyMatch("container", "cab")).isFalse();
        assertThat(f.exactMatch("driver", "local")).isTrue();
        assertThat(f.exactMatch("driver", "loc")).isFalse();
        assertThat(f.exactMatch("absent", "anything")).isTrue();
    }
}
