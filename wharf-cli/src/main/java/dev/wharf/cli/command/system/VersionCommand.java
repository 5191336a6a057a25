package dev.wharf.cli.command.system;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.FormatHelp;
import dev.wharf.cli.format.GoTemplate;
import dev.wharf.client.WharfClient;
import dev.wharf.client.WharfClientException;
import dev.wharf.model.Json;
import dev.wharf.model.system.VersionResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "version")
public final class VersionCommand extends WharfCommand {

    static final String CLIENT_VERSION = "0.1.0";

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.OBJECT)
    String format;

    @Parameters(arity = "0..*", hidden = true)
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Version", CLIENT_VERSION);
        client.put("ApiVersion", WharfClient.MAX_API_VERSION);
        client.put("DefaultAPIVersion", WharfClient.MAX_API_VERSION);
        client.put("JavaVersion", Runtime.version().toString());
        client.put("Os", "linux");
        client.put("Arch", arch());
        if (format != null && !format.isBlank()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            VersionResponse server = null;
            WharfClientException failure = null;
            try {
                server = cli.client().system().version();
            } catch (WharfClientException e) {
                failure = e;
            }
            data.put("Server", server == null ? null : Json.mapper().valueToTree(server));
            cli.out().println(GoTemplate.ofFormat(format).execute(data));
            if (failure != null) {
                throw failure;
            }
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n");
        line(sb, " ", "Version:", CLIENT_VERSION);
        line(sb, " ", "API version:", WharfClient.MAX_API_VERSION);
        line(sb, " ", "Java version:", Runtime.version().toString());
        line(sb, " ", "OS/Arch:", "linux/" + arch());
        line(sb, " ", "Context:", "default");
        cli.out().print(sb);
        cli.out().flush();
        VersionResponse v = cli.client().system().version();
        sb.setLength(0);
        String platform = v.platform() == null ? "" : v.platform().getOrDefault("Name", "");
        sb.append("\nServer:").append(platform.isEmpty() ? "" : " " + platform).append('\n');
        if (v.components() == null || v.components().isEmpty()) {
            sb.append(" Engine:\n");
            line(sb, "  ", "Version:", v.version());
            line(sb, "  ", "API version:", v.apiVersion() + " (minimum version " + v.minApiVersion() + ")");
            line(sb, "  ", "OS/Arch:", v.os() + "/" + v.arch());
        }
        if (v.components() != null) {
            for (VersionResponse.Component c : v.components()) {
                sb.append(' ').append(c.name()).append(":\n");
                line(sb, "  ", "Version:", c.version());
                if (c.name().equals("Engine")) {
                    Map<String, String> d = c.details() == null ? Map.of() : c.details();
                    line(sb, "  ", "API version:", d.getOrDefault("ApiVersion", v.apiVersion()) + " (minimum version "
                            + d.getOrDefault("MinAPIVersion", v.minApiVersion()) + ")");
                    line(sb, "  ", "Go version:", d.getOrDefault("GoVersion", v.goVersion()));
                    line(sb, "  ", "Git commit:", d.getOrDefault("GitCommit", v.gitCommit()));
                    line(sb, "  ", "Built:", d.getOrDefault("BuildTime", v.buildTime()));
                    line(sb, "  ", "OS/Arch:", d.getOrDefault("Os", v.os()) + "/" + d.getOrDefault("Arch", v.arch()));
                    line(sb, "  ", "Experimental:", d.getOrDefault("Experimental", "false"));
                } else if (c.details() != null) {
                    c.details().forEach((k, val) -> line(sb, "  ", k + ":", val));
                }
            }
        }
        cli.out().print(sb);
        return 0;
    }

    private static void line(StringBuilder sb, String indent, String key, String value) {
        sb.append(indent).append(String.format("%-" + (19 - indent.length()) + "s", key))
                .append(value == null ? "" : value).append('\n');
    }

    static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }
}
