package dev.wharf.engine.event;

import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.model.Json;
import dev.wharf.model.event.EventMessage;
import dev.wharf.store.table.EventTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/** Publishes events to live subscribers and to the persisted log that {@code since} replays. */
public final class EventService {

    private final EventTable table;
    private final List<BlockingQueue<EventMessage>> subscribers = new CopyOnWriteArrayList<>();
    private long lastNano;

    public EventService(EventTable table) {
        this.table = table;
    }

    /** Publishes one event. Container events carry the container's labels, image and name. */
    public void publish(String type, String action, String actorId, Map<String, String> attributes) {
        long nano;
        synchronized (this) {
            nano = Math.max(Times.nanos(Instant.now()), lastNano + 1);
            lastNano = nano;
        }
        boolean legacy = type.equals("container") || type.equals("image");
        String from = type.equals("container") ? attributes.get("image") : null;
        EventMessage e = new EventMessage(legacy ? action : null, legacy ? actorId : null, from, type, action,
                new EventMessage.Actor(actorId, attributes), "local", nano / 1_000_000_000L, nano);
        try {
            table.append(nano, Json.mapper().writeValueAsString(e));
        } catch (Exception ex) {
            // The live stream still gets the event; replay may miss it.
        }
        for (BlockingQueue<EventMessage> q : subscribers) {
            q.offer(e);
        }
    }

    /** A live subscription; close it when done. */
    public Subscription subscribe() {
        Subscription s = new Subscription(new LinkedBlockingQueue<>());
        subscribers.add(s.queue);
        return s;
    }

    /** Past events in [since, until), oldest first. */
    public List<EventMessage> history(Instant since, Instant until) {
        long from = since == null ? Long.MIN_VALUE : Times.nanos(since);
        long to = until == null ? Long.MAX_VALUE : Times.nanos(until);
        return table.between(from, to).stream().map(EventService::decode).filter(e -> e != null).toList();
    }

    private static EventMessage decode(String json) {
        try {
            return Json.mapper().readValue(json, EventMessage.class);
        } catch (Exception e) {
            return null;
        }
    }

    /** The filter predicate for {@code /events?filters=}. */
    public static Predicate<EventMessage> matcher(Filters f) {
        f.only(java.util.Set.of("type", "event", "container", "image", "label", "network", "volume", "scope",
                "daemon", "plugin", "node", "service", "secret", "config"));
        return e -> {
            if (f.has("type") && !f.get("type").contains(e.type())) {
                return false;
            }
            if (f.has("event")) {
                String a = e.action();
                int colon = a.indexOf(':');
                String base = colon < 0 ? a : a.substring(0, colon);
                if (!f.get("event").contains(a) && !f.get("event").contains(base)) {
                    return false;
                }
            }
            Map<String, String> attrs = e.actor().attributes() == null ? Map.of() : e.actor().attributes();
            if (f.has("container") && !(e.type().equals("container") && matchesIdOrName(f.get("container"),
                    e.actor().id(), attrs.get("name")))) {
                return false;
            }
            if (f.has("image") && !(f.get("image").contains(attrs.get("image"))
                    || e.type().equals("image") && matchesIdOrName(f.get("image"), e.actor().id(), attrs.get("name")))) {
                return false;
            }
            if (f.has("scope") && !f.get("scope").contains(e.scope())) {
                return false;
            }
            return f.labelsMatch(attrs);
        };
    }

    private static boolean matchesIdOrName(List<String> wanted, String id, String name) {
        for (String w : wanted) {
            if (w.equals(name) || (id != null && id.startsWith(w))) {
                return true;
            }
        }
        return false;
    }

    public final class Subscription implements AutoCloseable {
        private final BlockingQueue<EventMessage> queue;

        private Subscription(BlockingQueue<EventMessage> queue) {
            this.queue = queue;
        }

        /** The next event, or null after {@code timeoutMillis}. */
        public EventMessage next(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            subscribers.remove(queue);
        }
    }
}
