package dev.wharf.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.Json;
import dev.wharf.model.event.EventMessage;
import dev.wharf.store.db.Database;
import dev.wharf.store.table.EventTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event bus over a real database: what a {@code GET /events} subscriber receives live, what
 * {@code since}/{@code until} replay after a restart, and the JSON shape docker-compose 1.29 reads.
 */
class EventServiceTest {

    @TempDir
    Path dir;
    private Database db;
    private EventService events;

    @BeforeEach
    void setUp() {
        db = new Database(dir.resolve("wharf.db"));
        events = new EventService(new EventTable(db));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void publish_givesEverySubscriberTheEvent_withTheLegacyFieldsForContainersAndImages() throws Exception {
        try (EventService.Subscription a = events.subscribe(); EventService.Subscription b = events.subscribe()) {
            events.publish("container", "start", "c1", Map.of("name", "web", "image", "busybox"));
            events.publish("network", "create", "n1", Map.of("name", "front", "type", "bridge"));

            EventMessage start = a.next(1000);
            assertThat(start.type()).isEqualTo("container");
            assertThat(start.action()).isEqualTo("start");
            assertThat(start.status()).isEqualTo("start");
            assertThat(start.id()).isEqualTo("c1");
            assertThat(start.from()).isEqualTo("busybox");
            assertThat(start.scope()).isEqualTo("local");
            assertThat(start.actor().id()).isEqualTo("c1");
            assertThat(start.actor().attributes()).containsOnly(Map.entry("name", "web"), Map.entry("image", "busybox"));
            assertThat(start.time()).isEqualTo(start.timeNano() / 1_000_000_000L);

            EventMessage net = a.next(1000);
            assertThat(net.action()).isEqualTo("create");
            assertThat(net.status()).isNull();
            assertThat(net.id()).isNull();
            assertThat(net.from()).isNull();
            assertThat(net.timeNano()).isGreaterThan(start.timeNano());
            assertThat(a.next(0)).isNull();

            assertThat(List.of(b.next(1000), b.next(1000))).containsExactly(start, net);

            // the wire form: legacy keys only where Docker sends them
            @SuppressWarnings("unchecked")
            Map<String, Object> json = Json.mapper().convertValue(net, Map.class);
            assertThat(json).containsOnlyKeys("Type", "Action", "Actor", "scope", "time", "timeNano");
            assertThat(Json.mapper().convertValue(start, Map.class)).containsKeys("status", "id", "from");
        }
    }

    @Test
    void publish_givesEachEventADistinctIncreasingTime() throws Exception {
        for (int i = 0; i < 50; i++) {
            events.publish("volume", "create", "v" + i, Map.of("driver", "local"));
        }
        List<Long> times = events.history(null, null).stream().map(EventMessage::timeNano).toList();
        assertThat(times).hasSize(50).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void subscribe_seesOnlyLaterEvents_andStopsReceivingOnceClosed() throws Exception {
        events.publish("volume", "create", "before", Map.of());
        EventService.Subscription s = events.subscribe();
        assertThat(events.listeners()).isEqualTo(1);
        events.publish("volume", "create", "after", Map.of());
        assertThat(s.next(1000).actor().id()).isEqualTo("after");
        assertThat(s.next(0)).isNull();

        s.close();
        assertThat(events.listeners()).isZero();
        events.publish("volume", "destroy", "after", Map.of());
        assertThat(s.next(0)).isNull();
    }

    @Test
    void listeners_countsOpenSubscriptions() {
        assertThat(events.listeners()).isZero();
        EventService.Subscription a = events.subscribe();
        EventService.Subscription b = events.subscribe();
        assertThat(events.listeners()).isEqualTo(2);
        a.close();
        a.close();
        assertThat(events.listeners()).isEqualTo(1);
        b.close();
        assertThat(events.listeners()).isZero();
    }

    @Test
    void history_replaysPersistedEventsInOrder_withinSinceAndUntil_evenAfterARestart() throws Exception {
        events.publish("image", "pull", "busybox:latest", Map.of("name", "busybox:latest"));
        events.publish("container", "create", "c1", Map.of("image", "busybox"));
        events.publish("container", "start", "c1", Map.of("image", "busybox"));
        List<EventMessage> all = events.history(null, null);
        assertThat(all).extracting(EventMessage::action).containsExactly("pull", "create", "start");

        Instant second = Instant.ofEpochSecond(0, all.get(1).timeNano());
        Instant third = Instant.ofEpochSecond(0, all.get(2).timeNano());
        assertThat(events.history(second, null)).extracting(EventMessage::action).containsExactly("create", "start");
        assertThat(events.history(null, third)).extracting(EventMessage::action).containsExactly("pull", "create");
        assertThat(events.history(second, third)).extracting(EventMessage::action).containsExactly("create");
        assertThat(events.history(third.plusSeconds(1), null)).isEmpty();

        // a new daemon on the same database replays the same events, fields intact
        EventService restarted = new EventService(new EventTable(db));
        assertThat(restarted.history(null, null)).isEqualTo(all);
    }
}
