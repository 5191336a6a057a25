package dev.wharf.cli.command.container;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf update [OPTIONS] CONTAINER...}: new limits and restart policy on (running) containers. */
@Command(name = "update")
public final class UpdateCommand extends WharfCommand {

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;
    @Option(names = "--memory-swap", paramLabel = "bytes",
            description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
    String memorySwap;
    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;
    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;
    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;
    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;
    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;
    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;
    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;
    @Option(names = "--blkio-weight", paramLabel = "uint16",
            description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)")
    Integer blkioWeight;
    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    public Integer call() {
        requireAtLeast(containers, 1);
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            put(body, "Memory", memory == null ? null : bytes(memory));
            put(body, "MemorySwap", memorySwap == null ? null : memorySwap.equals("-1") ? -1L : bytes(memorySwap));
            put(body, "MemoryReservation", memoryReservation == null ? null : bytes(memoryReservation));
            put(body, "NanoCpus", cpus == null ? null
                    : new BigDecimal(cpus).multiply(BigDecimal.valueOf(1_000_000_000L)).longValueExact());
            put(body, "CpuShares", cpuShares);
            put(body, "CpuPeriod", cpuPeriod);
            put(body, "CpuQuota", cpuQuota);
            put(body, "CpusetCpus", cpusetCpus);
            put(body, "CpusetMems", cpusetMems);
            put(body, "PidsLimit", pidsLimit);
            put(body, "BlkioWeight", blkioWeight);
            if (restart != null) {
                int colon = restart.indexOf(':');
                String name = colon < 0 ? restart : restart.substring(0, colon);
                int max = colon < 0 ? 0 : Integer.parseInt(restart.substring(colon + 1));
                body.put("RestartPolicy", Map.of("Name", name, "MaximumRetryCount", max));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            cli.err().println("invalid argument: " + e.getMessage());
            return 125;
        }
        if (body.isEmpty()) {
            cli.err().println("you must provide one or more flags when using this command");
            return 1;
        }
        return EachArg.run(cli, containers, id -> {
            cli.client().containers().update(id, body);
            return id;
        });
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** go-units RAMInBytes: 64m, 1g, 512k, 1024 (binary multiples). */
    static long bytes(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib") || t.endsWith("b")) {
            t = t.substring(0, t.length() - (t.endsWith("ib") ? 2 : 1));
        }
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            case 't' -> mult = 1L << 40;
            default -> mult = 1;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        return new BigDecimal(t).multiply(BigDecimal.valueOf(mult)).longValue();
    }
}
