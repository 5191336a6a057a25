package dev.wharf.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.common.Filters;
import dev.wharf.model.event.EventMessage;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventFilterTest {

    private static EventMessage ev(String type, String action, String id, Map<String, String> attrs) {
        return new EventMessage(null, null, null, type, action, new EventMessage.Actor(id, attrs), "local", 1, 1);
    }

    private static final List<EventMessage> EVENTS = List.of(
            ev("container", "start", "c1c1", Map.of("name", "web", "image", "busybox:local", "tier", "front")),
            ev("container", "exec_start: sh -c true", "c1c1", Map.of("name", "web", "image", "busybox:local")),
            ev("image", "tag", "sha256:i1", Map.of("name", "busybox:local")),
            ev("network", "connect", "n1n1", Map.of("name", "net1", "container", "c1c1", "type", "bridge")),
            ev("volume", "create", "data", Map.of("driver", "local")),
            ev("daemon", "reload", "d1d1", Map.of("name", "host1")));

    private static List<String> select(String json) {
        var m = EventService.matcher(Filters.parse(json));
        return EVENTS.stream().filter(m).map(e -> e.type() + ":" + e.action()).toList();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("{\"type\":[\"network\"]}", List.of("network:connect")),
                Arguments.of("{\"event\":[\"start\"]}", List.of("container:start")),
                Arguments.of("{\"event\":[\"exec_start\"]}", List.of("container:exec_start: sh -c true")),
                Arguments.of("{\"container\":[\"we\"]}", List.of("container:start", "container:exec_start: sh -c true")),
                Arguments.of("{\"container\":[\"c1\"],\"type\":[\"container\"],\"event\":[\"start\"]}",
                        List.of("container:start")),
                Arguments.of("{\"image\":[\"busybox\"]}", List.of("container:start",
                        "container:exec_start: sh -c true", "image:tag")),
                Arguments.of("{\"image\":[\"busy\"]}", List.of()),
                Arguments.of("{\"network\":[\"net1\"]}", List.of("network:connect")),
                Arguments.of("{\"volume\":[\"data\"]}", List.of("volume:create")),
                Arguments.of("{\"daemon\":[\"host\"]}", List.of("daemon:reload")),
                Arguments.of("{\"label\":[\"tier=front\"]}", List.of("container:start")),
                Arguments.of("{\"scope\":[\"swarm\"]}", List.of()),
                Arguments.of("{\"node\":[\"x\"]}", List.of()),
                Arguments.of("{\"service\":[\"x\"]}", List.of()),
                Arguments.of("{\"secret\":[\"x\"]}", List.of()),
                Arguments.of("{\"config\":[\"x\"]}", List.of()),
                Arguments.of("{\"plugin\":[\"x\"]}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachFilterKeepsWhatDockersKeeps(String filters, List<String> expected) {
        assertThat(select(filters)).containsExactlyElementsOf(expected);
    }

    @Test
    void unknownFilterOrMalformedJson_isRefused() {
        assertThatThrownBy(() -> select("{\"bogus\":[\"x\"]}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'bogus'");
        assertThatThrownBy(() -> select("{\"type\":")).hasMessage("invalid filter");
    }
}
