package dev.wharf.cli.command.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.Cli;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.run.Compose;
import dev.wharf.compose.run.ComposeException;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The read-only subcommands of {@code wharf compose}: top, port, events, ls and version. */
final class InfoCommands {

    private InfoCommands() {
    }

    @Command(name = "top")
    static final class Top extends ComposeSubcommand {
        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        @Override
        public Integer call() {
            for (ContainerSummary c : opts.compose().containers(opts.name(), orEmpty(services), false, false)) {
                JsonNode t = opts.compose().top(c.id());
                String n = c.names().getFirst();
                cli.out().println(n.startsWith("/") ? n.substring(1) : n);
                StringBuilder sb = new StringBuilder();
                List<String> titles = new ArrayList<>();
                t.path("Titles").forEach(x -> titles.add(x.asText()));
                sb.append(String.join("\t", titles)).append('\n');
                for (JsonNode row : t.path("Processes")) {
                    List<String> cells = new ArrayList<>();
                    row.forEach(x -> cells.add(x.asText()));
                    sb.append(String.join("\t", cells)).append('\n');
                }
                dev.wharf.cli.format.TabWriter tw = new dev.wharf.cli.format.TabWriter();
                tw.add(sb.toString());
                cli.out().println(tw.render());
            }
            return 0;
        }
    }

    @Command(name = "port")
    static final class Port extends ComposeSubcommand {
        @Option(names = "--index", paramLabel = "int", defaultValue = "1", description = "Index of the container if service has multiple replicas")
        int index;

        @Option(names = "--protocol", paramLabel = "string", defaultValue = "tcp", description = "tcp or udp")
        String protocol;

        @Parameters(arity = "0..*", paramLabel = "SERVICE PRIVATE_PORT")
        List<String> args;

        @Override
        public Integer call() {
            requireExactly(args, 2);
            ContainerSummary c;
            try {
                c = opts.compose().container(opts.name(), args.get(0), index);
            } catch (ComposeException e) {
                throw new Cli.Exit(1, e.getMessage());
            }
            ContainerInspect i = cli.client().containers().inspect(c.id());
            Object ports = i.networkSettings() == null ? null : i.networkSettings().get("Ports");
            String key = args.get(1) + "/" + protocol;
            if (ports instanceof Map<?, ?> m && m.get(key) instanceof List<?> l && !l.isEmpty()
                    && l.getFirst() instanceof Map<?, ?> b) {
                cli.out().println(b.get("HostIp") + ":" + b.get("HostPort"));
                return 0;
            }
            throw new Cli.Exit(1, "no port " + key + " for container " + i.name().substring(1));
        }
    }

    @Command(name = "events")
    static final class Events extends ComposeSubcommand {
        @Option(names = "--json", description = "Output events as a stream of json objects")
        boolean json;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .withZone(ZoneOffset.UTC);

        @Override
        public Integer call() {
            opts.compose().events(opts.name(), e -> {
                if (!"container".equals(e.type()) || e.actor() == null) {
                    return;
                }
                Map<String, String> attrs = e.actor().attributes() == null ? Map.of() : e.actor().attributes();
                String svc = attrs.getOrDefault(Labels.SERVICE, "");
                if (!orEmpty(services).isEmpty() && !services.contains(svc)) {
                    return;
                }
                Instant t = Instant.ofEpochSecond(0, e.timeNano());
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("time", t.toString());
                    m.put("type", "container");
                    m.put("action", e.action());
                    m.put("id", e.actor().id());
                    m.put("service", svc);
                    m.put("attributes", attrs);
                    try {
                        cli.out().println(Json.mapper().writeValueAsString(m));
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                } else {
                    List<String> a = new ArrayList<>();
                    attrs.forEach((k, v) -> {
                        if (!k.startsWith("com.docker.compose.")) {
                            a.add(k + "=" + v);
                        }
                    });
                    cli.out().println(TIME.format(t) + " container " + e.action() + " " + e.actor().id() + " ("
                            + String.join(", ", a) + ")");
                }
                cli.out().flush();
            });
            return 0;
        }
    }

    @Command(name = "ls")
    static final class Ls extends ComposeSubcommand {
        @Option(names = {"-a", "--all"}, description = "Show all stopped Compose projects")
        boolean all;

        @Option(names = {"-q", "--quiet"}, description = "Only display project names")
        boolean quiet;

        @Option(names = "--format", paramLabel = "string", description = "Format the output. Values: [table | json]")
        String format;

        @Override
        public Integer call() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Compose.ProjectSummary p : opts.compose().ls(all)) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("Name", p.name());
                r.put("Status", p.status());
                r.put("ConfigFiles", p.configFiles() == null ? "" : p.configFiles());
                rows.add(r);
            }
            String f = quiet ? "{{.Name}}" : format;
            cli.out().print(ListFormat.render(f, "table {{.Name}}\t{{.Status}}\t{{.ConfigFiles}}",
                    Map.of("Name", "NAME", "Status", "STATUS", "ConfigFiles", "CONFIG FILES"), rows));
            return 0;
        }
    }

    @Command(name = "version")
    static final class Version extends ComposeSubcommand {
        @Option(names = "--short", description = "Shows only Compose's version number")
        boolean shortForm;

        @Override
        public Integer call() {
            cli.out().println(shortForm ? Labels.COMPOSE_VERSION
                    : "Wharf Compose version " + Labels.COMPOSE_VERSION + " (speaks the Compose Specification)");
            return 0;
        }
    }
}
