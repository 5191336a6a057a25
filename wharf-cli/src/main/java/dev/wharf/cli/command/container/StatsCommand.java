package dev.wharf.cli.command.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.GoTemplate;
import dev.wharf.cli.format.TabWriter;
import dev.wharf.cli.format.Units;
import dev.wharf.client.ApiException;
import dev.wharf.client.ContainersApi.ListOptions;
import dev.wharf.model.container.ContainerSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf stats [--no-stream] [-a] [--format] [CONTAINER...]}: docker's table of CPU %,
 * memory, network and block I/O and pids, computed from the daemon's samples as the docker CLI
 * computes them.
 */
@Command(name = "stats")
public final class StatsCommand extends WharfCommand {

    static final String HEADER = "CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tMEM %\tNET I/O\tBLOCK I/O\tPIDS";

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;
    @Option(names = "--format", paramLabel = "string", description = FormatHelp.LIST)
    String format;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() throws InterruptedException {
        do {
            List<String> ids = containers != null && !containers.isEmpty() ? containers
                    : cli.client().containers().list(new ListOptions(all, null, false, Map.of())).stream()
                            .map(ContainerSummary::id).toList();
            Map<String, Map<String, Object>> rows = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String id : ids) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        rows.put(id, row(cli.client().containers().stats(id)));
                    } catch (ApiException e) {
                        synchronized (errors) {
                            errors.add("Error response from daemon: " + e.getMessage());
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!errors.isEmpty()) {
                errors.forEach(cli.err()::println);
                return 1;
            }
            if (!noStream) {
                cli.out().print("\033[2J\033[H");
            }
            print(ids.stream().map(rows::get).filter(r -> r != null).toList());
            cli.out().flush();
        } while (!noStream);
        return 0;
    }

    private void print(List<Map<String, Object>> rows) {
        if (format != null && !format.isEmpty() && !format.startsWith("table")) {
            GoTemplate t = GoTemplate.parse(format);
            for (Map<String, Object> r : rows) {
                cli.out().println(t.execute(dev.wharf.model.Json.mapper().valueToTree(r)));
            }
            return;
        }
        TabWriter w = new TabWriter(10, 3);
        w.add(HEADER + "\n");
        for (Map<String, Object> r : rows) {
            w.add(String.join("\t", String.valueOf(r.get("ID")), String.valueOf(r.get("Name")),
                    String.valueOf(r.get("CPUPerc")), String.valueOf(r.get("MemUsage")),
                    String.valueOf(r.get("MemPerc")), String.valueOf(r.get("NetIO")),
                    String.valueOf(r.get("BlockIO")), String.valueOf(r.get("PIDs"))) + "\n");
        }
        cli.out().print(w.render());
    }

    /** One row, as the docker CLI computes it from a sample (cli/command/container/stats_helpers.go). */
    Map<String, Object> row(JsonNode s) {
        String id = s.path("id").asText();
        String name = s.path("name").asText();
        boolean running = !s.path("read").asText().startsWith("0001");
        double cpu = 0;
        long cpuDelta = s.at("/cpu_stats/cpu_usage/total_usage").asLong()
                - s.at("/precpu_stats/cpu_usage/total_usage").asLong();
        long sysDelta = s.at("/cpu_stats/system_cpu_usage").asLong() - s.at("/precpu_stats/system_cpu_usage").asLong();
        long online = s.at("/cpu_stats/online_cpus").asLong();
        if (online == 0) {
            online = s.at("/cpu_stats/cpu_usage/percpu_usage").size();
        }
        if (sysDelta > 0 && cpuDelta > 0) {
            cpu = (double) cpuDelta / sysDelta * online * 100.0;
        }
        JsonNode mem = s.path("memory_stats");
        long usage = mem.path("usage").asLong();
        JsonNode st = mem.path("stats");
        long inactive = st.has("total_inactive_file") ? st.path("total_inactive_file").asLong()
                : st.path("inactive_file").asLong();
        if (inactive < usage) {
            usage -= inactive;
        }
        long limit = mem.path("limit").asLong();
        double memPerc = limit > 0 ? (double) usage / limit * 100.0 : 0;
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long read = 0;
        long write = 0;
        for (JsonNode e : s.at("/blkio_stats/io_service_bytes_recursive")) {
            String op = e.path("op").asText();
            if (op.isEmpty()) {
                continue;
            }
            char c = Character.toLowerCase(op.charAt(0));
            if (c == 'r') {
                read += e.path("value").asLong();
            } else if (c == 'w') {
                write += e.path("value").asLong();
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ID", noTrunc || id.length() < 12 ? id : id.substring(0, 12));
        r.put("Container", id.length() < 12 ? id : id.substring(0, 12));
        r.put("Name", name.startsWith("/") ? name.substring(1) : name);
        if (!running) {
            r.put("CPUPerc", "0.00%");
            r.put("MemUsage", "0B / 0B");
            r.put("MemPerc", "0.00%");
            r.put("NetIO", "0B / 0B");
            r.put("BlockIO", "0B / 0B");
            r.put("PIDs", "0");
            return r;
        }
        r.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpu));
        r.put("MemUsage", Units.bytesSize(usage) + " / " + Units.bytesSize(limit));
        r.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", memPerc));
        r.put("NetIO", Units.humanSize(rx, 3) + " / " + Units.humanSize(tx, 3));
        r.put("BlockIO", Units.humanSize(read, 3) + " / " + Units.humanSize(write, 3));
        r.put("PIDs", String.valueOf(s.at("/pids_stats/current").asLong()));
        return r;
    }
}
