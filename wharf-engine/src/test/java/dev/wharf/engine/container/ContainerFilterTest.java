package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.engine.common.Filters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ContainerFilterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** web: running, publishes 8080->80/tcp, exposes 53/udp, volume data at /data, on net1. */
    private static final ContainerFilter.Facts WEB = new ContainerFilter.Facts("aaa111", "web",
            Map.of("tier", "front"), "running", true, 0, true, "healthy", "sha256:img1", T0.plusSeconds(20), "",
            List.of(new ContainerFilter.Mount("data", "/data")), Map.of("net1", "n1n1n1"),
            List.of(new ContainerFilter.Port(80, 8080, "tcp"), new ContainerFilter.Port(53, 0, "udp")));
    /** job: exited 3, binds /srv at /mnt, on bridge, no labels. */
    private static final ContainerFilter.Facts JOB = new ContainerFilter.Facts("bbb222", "job", Map.of(),
            "exited", false, 3, true, "none", "sha256:img2", T0.plusSeconds(10), "",
            List.of(new ContainerFilter.Mount("/srv", "/mnt")), Map.of("bridge", "b0b0b0"), List.of());
    /** fresh: created, never started. */
    private static final ContainerFilter.Facts FRESH = new ContainerFilter.Facts("ccc333", "fresh", Map.of(),
            "created", false, 0, false, "none", "sha256:img1", T0, "default", List.of(), Map.of(), List.of());

    private static final Map<String, Instant> CREATED = Map.of("web", WEB.created(), "job", JOB.created(),
            "fresh", FRESH.created());

    private static List<String> select(String json) {
        ContainerFilter cf = ContainerFilter.compile(Filters.parse(json), v -> {
            Instant t = CREATED.get(v);
            if (t == null) {
                throw new NotFoundException("No such container: " + v);
            }
            return t;
        }, a -> a.equals("base") ? Set.of("sha256:img1", "sha256:img9") : Set.of());
        return Stream.of(WEB, JOB, FRESH).filter(cf::test).map(ContainerFilter.Facts::name).toList();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("{}", List.of("web", "job", "fresh")),
                Arguments.of("{\"id\":[\"bbb\"]}", List.of("job")),
                Arguments.of("{\"name\":[\"^/w\"]}", List.of("web")),
                Arguments.of("{\"name\":[\"o\"]}", List.of("job")),
                Arguments.of("{\"label\":[\"tier=front\"]}", List.of("web")),
                Arguments.of("{\"label\":[\"tier=back\"]}", List.of()),
                Arguments.of("{\"exited\":[\"3\"]}", List.of("job")),
                Arguments.of("{\"exited\":[\"0\"]}", List.of()),
                Arguments.of("{\"status\":[\"created\",\"exited\"]}", List.of("job", "fresh")),
                Arguments.of("{\"health\":[\"healthy\"]}", List.of("web")),
                Arguments.of("{\"health\":[\"none\"]}", List.of("job", "fresh")),
                Arguments.of("{\"ancestor\":[\"base\"]}", List.of("web", "fresh")),
                Arguments.of("{\"ancestor\":[\"nosuchimage\"]}", List.of()),
                Arguments.of("{\"before\":[\"web\"]}", List.of("job", "fresh")),
                Arguments.of("{\"since\":[\"job\"]}", List.of("web")),
                Arguments.of("{\"volume\":[\"data\"]}", List.of("web")),
                Arguments.of("{\"volume\":[\"/mnt\"]}", List.of("job")),
                Arguments.of("{\"volume\":[\"/srv\"]}", List.of("job")),
                Arguments.of("{\"volume\":[\"nope\"]}", List.of()),
                Arguments.of("{\"network\":[\"net1\"]}", List.of("web")),
                Arguments.of("{\"network\":[\"b0b\"]}", List.of("job")),
                Arguments.of("{\"publish\":[\"8080\"]}", List.of("web")),
                Arguments.of("{\"publish\":[\"8080/udp\"]}", List.of()),
                Arguments.of("{\"publish\":[\"8000-8090/tcp\"]}", List.of("web")),
                Arguments.of("{\"publish\":[\"80\"]}", List.of()),
                Arguments.of("{\"expose\":[\"80\"]}", List.of("web")),
                Arguments.of("{\"expose\":[\"53/udp\"]}", List.of("web")),
                Arguments.of("{\"expose\":[\"8080\"]}", List.of()),
                Arguments.of("{\"isolation\":[\"default\"]}", List.of("web", "job", "fresh")),
                Arguments.of("{\"isolation\":[\"hyperv\"]}", List.of()),
                Arguments.of("{\"is-task\":[\"true\"]}", List.of()),
                Arguments.of("{\"is-task\":[\"false\"]}", List.of("web", "job", "fresh")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachFilterKeepsWhatDockersKeeps(String filters, List<String> expected) {
        assertThat(select(filters)).containsExactlyElementsOf(expected);
    }

    @Test
    void badValuesAreRefusedWithDockersMessages() {
        assertThatThrownBy(() -> select("{\"bogus\":[\"x\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'bogus'");
        assertThatThrownBy(() -> select("{\"status\":[\"sleeping\"]}")).hasMessage("invalid filter 'status=sleeping'");
        assertThatThrownBy(() -> select("{\"is-task\":[\"maybe\"]}")).hasMessage("invalid filter 'is-task=[maybe]'");
        assertThatThrownBy(() -> select("{\"health\":[\"sick\"]}"))
                .hasMessage("Unrecognised filter value for health: sick");
        assertThatThrownBy(() -> select("{\"publish\":[\"80:80\"]}"))
                .hasMessage("filter for 'publish' should not contain ':': 80:80");
        assertThatThrownBy(() -> select("{\"expose\":[\"http\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("error while looking up for expose http");
        assertThatThrownBy(() -> select("{\"exited\":[\"x\"]}")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> select("{\"before\":[\"ghost\"]}")).isInstanceOf(NotFoundException.class);
    }
}
