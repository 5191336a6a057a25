package dev.wharf.daemon.route;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.JsonLines;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.event.EventMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Event routes.
 * <pre>
 *   GET /events?since&until&filters   past events from since, then live ones until until (or forever)
 * </pre>
 */
public final class EventRoutes {

    private final EventService events;

    public EventRoutes(EventService events) {
        this.events = events;
    }

    public void register(Router r) {
        r.add("GET", "/events", this::events);
    }

    private void events(Exchange ex) throws Exception {
        Instant since = Times.parseTimestamp(ex.query("since"));
        Instant until = Times.parseTimestamp(ex.query("until"));
        if (since != null && until != null && until.isBefore(since)) {
            throw new InvalidArgumentException("`since` time (" + ex.query("since")
                    + ") cannot be after `until` time (" + ex.query("until") + ")");
        }
        Predicate<EventMessage> match = EventService.matcher(Filters.parse(ex.query("filters")));
        try (EventService.Subscription sub = events.subscribe(); OutputStream out = ex.stream(200, "application/json")) {
            long last = Long.MIN_VALUE;
            if (since != null) {
                for (EventMessage e : events.history(since, until)) {
                    if (match.test(e)) {
                        write(out, e);
                    }
                    last = Math.max(last, e.timeNano());
                }
            }
            long end = until == null ? Long.MAX_VALUE : Times.nanos(until);
            while (!ex.clientGone()) {
                long now = Times.nanos(Instant.now());
                if (now >= end) {
                    return;
                }
                EventMessage e = sub.next(Math.min(1000, Math.max(1, (end - now) / 1_000_000)));
                if (e == null || e.timeNano() <= last) {
                    continue;
                }
                if (e.timeNano() >= end) {
                    return;
                }
                if (match.test(e)) {
                    write(out, e);
                }
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        }
    }

    private static void write(OutputStream out, EventMessage e) throws IOException {
        JsonLines.of(out).send(e);
    }
}
