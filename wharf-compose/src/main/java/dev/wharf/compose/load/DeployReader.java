package dev.wharf.compose.load;

import static dev.wharf.compose.load.Fields.bytes;
import static dev.wharf.compose.load.Fields.checkKeys;
import static dev.wharf.compose.load.Fields.duration;
import static dev.wharf.compose.load.Fields.error;
import static dev.wharf.compose.load.Fields.integer;
import static dev.wharf.compose.load.Fields.longValue;
import static dev.wharf.compose.load.Fields.map;
import static dev.wharf.compose.load.Fields.number;
import static dev.wharf.compose.load.Fields.str;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.model.Deploy;
import dev.wharf.compose.model.Service.Resources;
import java.util.List;
import java.util.Set;

/** {@code deploy:} and the resource limits of a service ({@code mem_limit}, {@code cpus}, {@code deploy.resources}). */
final class DeployReader {

    private DeployReader() {
    }

    static Resources resources(YMap m, String p) {
        Long memory = bytes(m.get("mem_limit"), p + ".mem_limit");
        Long reservation = bytes(m.get("mem_reservation"), p + ".mem_reservation");
        Long swap = bytes(m.get("memswap_limit"), p + ".memswap_limit");
        Double cpus = number(m.get("cpus"), p + ".cpus");
        Long shares = longValue(m.get("cpu_shares"), p + ".cpu_shares");
        String cpuset = str(m.get("cpuset"), p + ".cpuset");
        Long pids = longValue(m.get("pids_limit"), p + ".pids_limit");
        if (m.get("deploy") instanceof YMap d && d.get("resources") != null) {
            String rp = p + ".deploy.resources";
            YMap r = map(d.get("resources"), rp);
            checkKeys(r, rp, Set.of("limits", "reservations"));
            if (r.get("limits") != null) {
                YMap l = map(r.get("limits"), rp + ".limits");
                checkKeys(l, rp + ".limits", Set.of("cpus", "memory", "pids"));
                Long mem = bytes(l.get("memory"), rp + ".limits.memory");
                Double c = number(l.get("cpus"), rp + ".limits.cpus");
                Long pl = longValue(l.get("pids"), rp + ".limits.pids");
                memory = mem != null ? mem : memory;
                cpus = c != null ? c : cpus;
                pids = pl != null ? pl : pids;
            }
            if (r.get("reservations") != null) {
                YMap rv = map(r.get("reservations"), rp + ".reservations");
                checkKeys(rv, rp + ".reservations", Set.of("cpus", "memory", "devices", "generic_resources"));
                Long mem = bytes(rv.get("memory"), rp + ".reservations.memory");
                reservation = mem != null ? mem : reservation;
            }
        }
        Resources res = new Resources(memory, reservation, swap, cpus == null ? null : Math.round(cpus * 1e9), shares,
                cpuset, pids);
        return res.isEmpty() ? null : res;
    }

    static Deploy deploy(YNode n, String p) {
        YMap m = map(n, p);
        checkKeys(m, p, Set.of("mode", "replicas", "resources", "restart_policy", "update_config", "rollback_config",
                "labels", "placement", "endpoint_mode"));
        String mode = str(m.get("mode"), p + ".mode");
        if (mode != null && !mode.equals("replicated")) {
            throw error(m.get("mode"), p + ".mode", "only replicated services run on a single engine, not " + mode);
        }
        Integer replicas = integer(m.get("replicas"), p + ".replicas");
        if (replicas != null && replicas < 0) {
            throw error(m.get("replicas"), p + ".replicas", "must not be negative");
        }
        Deploy.RestartPolicy rp = null;
        if (m.get("restart_policy") != null) {
            String q = p + ".restart_policy";
            YMap r = map(m.get("restart_policy"), q);
            checkKeys(r, q, Set.of("condition", "delay", "max_attempts", "window"));
            rp = new Deploy.RestartPolicy(str(r.get("condition"), q + ".condition"), integer(r.get("max_attempts"),
                    q + ".max_attempts"), duration(r.get("delay"), q + ".delay"), duration(r.get("window"), q + ".window"));
        }
        return new Deploy(replicas, update(m.get("update_config"), p + ".update_config"),
                update(m.get("rollback_config"), p + ".rollback_config"), rp);
    }

    private static Deploy.UpdateConfig update(YNode n, String p) {
        if (n == null) {
            return null;
        }
        YMap m = map(n, p);
        checkKeys(m, p, Set.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"));
        Deploy.UpdateConfig d = Deploy.UpdateConfig.defaults();
        Integer par = integer(m.get("parallelism"), p + ".parallelism");
        if (par != null && par < 1) {
            throw error(m.get("parallelism"), p + ".parallelism", "must be at least 1");
        }
        String action = str(m.get("failure_action"), p + ".failure_action");
        if (action != null && !List.of("rollback", "pause", "continue").contains(action)) {
            throw error(m.get("failure_action"), p + ".failure_action", "must be rollback, pause or continue");
        }
        String order = str(m.get("order"), p + ".order");
        if (order != null && !List.of(Deploy.UpdateConfig.START_FIRST, Deploy.UpdateConfig.STOP_FIRST).contains(order)) {
            throw error(m.get("order"), p + ".order", "must be start-first or stop-first");
        }
        java.time.Duration delay = duration(m.get("delay"), p + ".delay");
        java.time.Duration monitor = duration(m.get("monitor"), p + ".monitor");
        Double ratio = number(m.get("max_failure_ratio"), p + ".max_failure_ratio");
        return new Deploy.UpdateConfig(par == null ? d.parallelism() : par, delay == null ? d.delay() : delay,
                action == null ? d.failureAction() : action, monitor == null ? d.monitor() : monitor,
                ratio == null ? d.maxFailureRatio() : ratio, order == null ? d.order() : order);
    }

}
