package dev.wharf.compose.run;

import dev.wharf.compose.model.Deploy;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.plan.ObservedContainer;
import dev.wharf.compose.plan.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Replaces a service's outdated replicas a few at a time, by {@code deploy.update_config}: in
 * batches of {@code parallelism}, {@code delay} apart. With {@code start-first} a new replica
 * starts beside the old one; with {@code stop-first} the old one stops first. A new replica is
 * created without the service's DNS names and joins them only once it is healthy (running, when it
 * has no healthcheck) and has stayed so for {@code monitor}; only then is the old one stopped. Old
 * replicas are kept, stopped and renamed, until the whole update succeeds, so a failure can
 * {@code rollback} (every slot gets its old container back, started before the new one goes),
 * {@code pause} (the failed slot gets its old container back and the update stops) or
 * {@code continue}.
 */
final class RollingUpdate {

    /** How long a new replica is in the service's DNS answer before the old one stops. */
    static final Duration DNS_SETTLE = Duration.ofSeconds(2);

    private final Replicas replicas;
    private final Progress progress;

    RollingUpdate(Replicas replicas, Progress progress) {
        this.replicas = replicas;
        this.progress = progress;
    }

    /** A slot being updated: the old container (renamed) and its replacement (null until created). */
    private static final class Slot {
        final ObservedContainer old;
        final String name;
        final String tmpName;
        String newId;
        boolean joined;
        String failure;

        Slot(ObservedContainer old, String name) {
            this.old = old;
            this.name = name;
            this.tmpName = old.id().substring(0, 12) + "_" + name;
        }
    }

    void run(Project p, Plan.ServicePlan sp, String imageId, List<String> ids) {
        Service s = sp.service();
        Deploy.UpdateConfig cfg = s.deploy() != null && s.deploy().updateConfig() != null ? s.deploy().updateConfig()
                : Deploy.UpdateConfig.defaults();
        List<Slot> outdated = new ArrayList<>();
        for (Plan.Step step : sp.steps()) {
            switch (step) {
                case Plan.Step.Recreate r -> outdated.add(new Slot(r.old(), CreateBody.containerName(p, s, r.old().number())));
                case Plan.Step.Keep k -> ids.add(k.container().id());
                case Plan.Step.Start st -> {
                    replicas.start(st.container().id(), st.container().name());
                    ids.add(st.container().id());
                }
                default -> {
                    // creates come after the roll; removals were done before it
                }
            }
        }
        List<Slot> done = new ArrayList<>();
        String res = "Service " + s.name();
        progress.status(res, "Updating " + outdated.size() + " replica" + (outdated.size() == 1 ? "" : "s") + " ("
                + cfg.order() + ", " + cfg.parallelism() + " at a time)");
        for (int i = 0; i < outdated.size(); i += cfg.parallelism()) {
            if (i > 0 && !cfg.delay().isZero()) {
                Replicas.sleep(cfg.delay().toMillis());
            }
            List<Slot> batch = outdated.subList(i, Math.min(outdated.size(), i + cfg.parallelism()));
            List<Thread> threads = new ArrayList<>();
            for (Slot slot : batch) {
                threads.add(Thread.ofVirtual().start(() -> replace(p, s, sp.configHash(), imageId, slot, cfg)));
            }
            ImageSupplier.join(threads);
            List<Slot> failed = batch.stream().filter(x -> x.failure != null).toList();
            done.addAll(batch.stream().filter(x -> x.failure == null).toList());
            if (failed.isEmpty()) {
                continue;
            }
            String why = failed.getFirst().name + ": " + failed.getFirst().failure;
            progress.status(res, "Update failed (" + why + ")");
            for (Slot f : failed) {
                restore(f, s);
            }
            switch (cfg.failureAction()) {
                case "rollback" -> {
                    List<Slot> back = new ArrayList<>(done);
                    Collections.reverse(back);
                    for (Slot d : back) {
                        restore(d, s);
                    }
                    progress.status(res, "Rolled back");
                    throw new ComposeException("service " + s.name() + ": update failed and was rolled back: " + why);
                }
                case "continue" -> {
                    // the failed slots keep their old replicas; go on with the others
                }
                default -> {
                    finish(done, ids);
                    outdated.subList(i + batch.size(), outdated.size()).forEach(x -> ids.add(x.old.id()));
                    failed.forEach(x -> ids.add(x.old.id()));
                    progress.status(res, "Update paused");
                    throw new ComposeException("service " + s.name() + ": update paused after a failure: " + why);
                }
            }
            failed.forEach(x -> ids.add(x.old.id()));
        }
        finish(done, ids);
        for (Plan.Step step : sp.steps()) {
            if (step instanceof Plan.Step.Create c) {
                String name = CreateBody.containerName(p, s, c.number());
                String id = replicas.create(p, s, c.number(), sp.configHash(), imageId, true, name);
                replicas.start(id, name);
                ids.add(id);
            }
        }
        progress.status(res, "Updated");
    }

    /** Brings up the new replica of a slot and retires the old one; records a failure instead of throwing. */
    private void replace(Project p, Service s, String hash, String imageId, Slot slot, Deploy.UpdateConfig cfg) {
        boolean startFirst = Deploy.UpdateConfig.START_FIRST.equals(cfg.order());
        try {
            progress.status(Replicas.res(slot.name), "Updating");
            if (!startFirst) {
                replicas.stop(slot.old.id(), slot.name, Replicas.stopTimeout(s));
            }
            replicas.rename(slot.old.id(), slot.tmpName);
            slot.newId = replicas.create(p, s, slot.old.number(), hash, imageId, false, slot.name);
            replicas.start(slot.newId, slot.name);
            slot.failure = ready(s, slot.newId, cfg.monitor());
            if (slot.failure != null) {
                return;
            }
            replicas.joinService(p, s, slot.newId, slot.name);
            slot.joined = true;
            progress.status(Replicas.res(slot.name), "Healthy");
            if (startFirst) {
                // the service's DNS answer takes a moment to include the new replica (the resolver
                // reloads, clients keep their last answer): stopping the old one at once can leave a
                // client with only stopped addresses
                Replicas.sleep(DNS_SETTLE.toMillis());
                replicas.stop(slot.old.id(), slot.tmpName, Replicas.stopTimeout(s));
            }
        } catch (RuntimeException e) {
            slot.failure = e.getMessage();
        }
    }

    /** Null when the replica became ready and stayed so for {@code monitor}; else why not. */
    private String ready(Service s, String id, Duration monitor) {
        Replicas.Outcome out = replicas.awaitReady(id, true, Replicas.healthBudget(s));
        if (out != Replicas.Outcome.HEALTHY && out != Replicas.Outcome.RUNNING) {
            return "new replica " + out.name().toLowerCase();
        }
        if (monitor.isZero()) {
            return null;
        }
        long until = System.nanoTime() + monitor.toNanos();
        while (System.nanoTime() < until) {
            Replicas.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            Replicas.Outcome now = replicas.awaitReady(id, true, Duration.ZERO);
            if (now != Replicas.Outcome.HEALTHY && now != Replicas.Outcome.RUNNING) {
                return "new replica " + now.name().toLowerCase() + " within the monitor period";
            }
        }
        return null;
    }

    /** Puts a slot's old replica back: started and ready, then the new one removed, then its name back. */
    private void restore(Slot slot, Service s) {
        progress.status(Replicas.res(slot.name), "Rolling back");
        try {
            replicas.start(slot.old.id(), slot.tmpName);
            replicas.awaitReady(slot.old.id(), true, Replicas.healthBudget(s));
        } catch (RuntimeException e) {
            progress.warn("cannot restart " + slot.tmpName + ": " + e.getMessage());
        }
        if (slot.newId != null) {
            replicas.stop(slot.newId, slot.name, Replicas.stopTimeout(s));
            replicas.remove(slot.newId, slot.name, false);
        }
        replicas.rename(slot.old.id(), slot.name);
    }

    /** Removes the retired old replicas of the slots that succeeded. */
    private void finish(List<Slot> done, List<String> ids) {
        for (Slot d : done) {
            replicas.remove(d.old.id(), d.tmpName, false);
            ids.add(d.newId);
        }
    }
}
