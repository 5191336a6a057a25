package dev.wharf.cli.command.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.GoTemplate;
import dev.wharf.cli.format.Units;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info")
public final class InfoCommand extends WharfCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Parameters(arity = "0..*", hidden = true)
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        if (format != null && !format.isBlank()) {
            JsonNode info = cli.client().system().info();
            cli.out().println(GoTemplate.ofFormat(format).execute(info));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n Version:    ").append(VersionCommand.CLIENT_VERSION)
                .append("\n Context:    default\n Debug Mode: false\n\n");
        cli.out().print(sb);
        cli.out().flush();
        JsonNode i = cli.client().system().info();
        sb.setLength(0);
        sb.append("Server:\n");
        sb.append(" Containers: ").append(t(i, "Containers")).append('\n');
        sb.append("  Running: ").append(t(i, "ContainersRunning")).append('\n');
        sb.append("  Paused: ").append(t(i, "ContainersPaused")).append('\n');
        sb.append("  Stopped: ").append(t(i, "ContainersStopped")).append('\n');
        sb.append(" Images: ").append(t(i, "Images")).append('\n');
        kv(sb, i, "Server Version", "ServerVersion");
        kv(sb, i, "Storage Driver", "Driver");
        if (i.path("DriverStatus").isArray()) {
            for (JsonNode pair : i.path("DriverStatus")) {
                sb.append("  ").append(pair.path(0).asText()).append(": ").append(pair.path(1).asText()).append('\n');
            }
        }
        kv(sb, i, "Logging Driver", "LoggingDriver");
        kv(sb, i, "Cgroup Driver", "CgroupDriver");
        kv(sb, i, "Cgroup Version", "CgroupVersion");
        if (i.path("Runtimes").isObject()) {
            List<String> names = new java.util.ArrayList<>();
            i.path("Runtimes").fieldNames().forEachRemaining(names::add);
            sb.append(" Runtimes: ").append(String.join(" ", names)).append('\n');
        }
        kv(sb, i, "Default Runtime", "DefaultRuntime");
        kv(sb, i, "Kernel Version", "KernelVersion");
        kv(sb, i, "Operating System", "OperatingSystem");
        kv(sb, i, "OSType", "OSType");
        kv(sb, i, "Architecture", "Architecture");
        kv(sb, i, "CPUs", "NCPU");
        if (i.has("MemTotal")) {
            sb.append(" Total Memory: ").append(Units.bytesSize(i.path("MemTotal").asLong())).append('\n');
        }
        kv(sb, i, "Name", "Name");
        kv(sb, i, "ID", "ID");
        kv(sb, i, "Docker Root Dir", "DockerRootDir");
        sb.append(" Debug Mode: ").append(i.path("Debug").asBoolean()).append('\n');
        sb.append(" Experimental: ").append(i.path("ExperimentalBuild").asBoolean()).append('\n');
        JsonNode insecure = i.path("RegistryConfig").path("InsecureRegistryCIDRs");
        if (insecure.isArray() && !insecure.isEmpty()) {
            sb.append(" Insecure Registries:\n");
            insecure.forEach(n -> sb.append("  ").append(n.asText()).append('\n'));
        }
        sb.append(" Live Restore Enabled: ").append(i.path("LiveRestoreEnabled").asBoolean()).append('\n');
        cli.out().print(sb);
        if (i.path("Warnings").isArray()) {
            cli.out().flush();
            i.path("Warnings").forEach(w -> cli.err().println(w.asText()));
        }
        return 0;
    }

    private static String t(JsonNode n, String field) {
        return n.path(field).asText("");
    }

    private static void kv(StringBuilder sb, JsonNode n, String label, String field) {
        if (n.has(field) && !n.get(field).isNull()) {
            sb.append(' ').append(label).append(": ").append(n.get(field).asText()).append('\n');
        }
    }
}
