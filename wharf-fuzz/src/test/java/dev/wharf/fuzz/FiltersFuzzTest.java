package dev.wharf.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.event.EventMessage;
import java.util.List;
import java.util.Map;

/**
 * Jazzer: any {@code filters=} query value either parses and filters (events here, and every
 * {@code since}/{@code until} value as a time), or is refused as an {@link InvalidArgumentException}
 * (a 400); never another exception (a 500) and never a hang.
 */
class FiltersFuzzTest {

    private static final EventMessage EVENT = new EventMessage("start", "abc123", "busybox", "container", "start",
            new EventMessage.Actor("abc123", Map.of("name", "web", "image", "busybox", "com.example", "x=y")),
            "local", 1_700_000_000L, 1_700_000_000_000_000_000L);

    @FuzzTest(maxDuration = "15s")
    void parseAndMatch(FuzzedDataProvider data) {
        String json = data.consumeRemainingAsString();
        try {
            Filters f = Filters.parse(json);
            EventService.matcher(f).test(EVENT);
            for (String key : List.of("since", "until", "before")) {
                for (String v : f.get(key)) {
                    Times.parseTimestamp(v);
                }
            }
        } catch (InvalidArgumentException expected) {
            // a 400 with Docker's message is the contract
        }
    }
}
