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

    /** How many live subscriptions there are ({@code NEventsListener} in {@code /info}). */
    public int listeners() {
        return subscribers.size();
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

    private static final List<String> NAMED_TYPES = List.of("container", "daemon", "plugin", "volume", "network",
            "service", "node", "secret", "config");

    /**
     * The filter predicate for {@code /events?filters=}, as moby's {@code daemon/events/filter.go}:
     * each typed filter (container, network, volume, …) keeps events whose actor's ID or name starts
     * with a value, whatever the event's type; {@code image} also matches a container's image.
     */
    public static Predicate<EventMessage> matcher(Filters f) {
        f.only(java.util.Set.of("type", "event", "container", "image", "label", "network", "volume", "scope",
                "daemon", "plugin", "node", "service", "secret", "config"));
        boolean fuzzyEvent = f.get("event").stream()
                .anyMatch(v -> v.equals("health_status") || v.equals("exec_create") || v.equals("exec_start"));
        return e -> {
            Map<String, String> attrs = e.actor().attributes() == null ? Map.of() : e.actor().attributes();
            String id = e.actor().id();
            if (!(fuzzyEvent ? f.fuzzyMatch("event", e.action()) : f.exactMatch("event", e.action()))
                    || !f.exactMatch("type", e.type()) || !f.exactMatch("scope", e.scope())) {
                return false;
            }
            for (String t : NAMED_TYPES) {
                if (f.has(t) && !f.fuzzyMatch(t, id) && !f.fuzzyMatch(t, attrs.get("name"))) {
                    return false;
                }
            }
            if (f.has("image")) {
                String name = attrs.get(e.type().equals("image") ? "name" : "image");
                if (!f.get("image").contains(id) && !f.get("image").contains(name)
                        && !f.get("image").contains(familiarName(id)) && !f.get("image").contains(familiarName(name))) {
                    return false;
                }
            }
            return f.labelsMatch(attrs);
        };
    }

    /** The repository of a reference without its tag or digest ({@code busybox:1} → {@code busybox}). */
    static String familiarName(String ref) {
        if (ref == null) {
            return null;
        }
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            r = r.substring(0, at);
        }
        int colon = r.lastIndexOf(':');
        if (colon > r.lastIndexOf('/')) {
            r = r.substring(0, colon);
        }
        if (r.startsWith("docker.io/")) {
            r = r.substring("docker.io/".length());
        }
        return r.startsWith("library/") ? r.substring("library/".length()) : r;
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
