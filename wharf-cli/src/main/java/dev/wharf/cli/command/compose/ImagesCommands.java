package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.cli.format.ListFormat;
import dev.wharf.cli.format.Units;
import dev.wharf.client.ApiException;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.run.ComposeException;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.image.ImageInspect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The image subcommands of {@code wharf compose}: build, pull, push and images. */
final class ImagesCommands {

    private ImagesCommands() {
    }

    @Command(name = "build")
    static final class Build extends ComposeSubcommand {
        @Option(names = "--no-cache", description = "Do not use cache when building the image")
        boolean noCache;

        @Option(names = {"-q", "--quiet"}, description = "Don't print anything to STDOUT")
        boolean quiet;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        @Override
        public Integer call() {
            orExit(() -> opts.compose().build(opts.project(), orEmpty(services)));
            return 0;
        }
    }

    @Command(name = "pull")
    static final class Pull extends ComposeSubcommand {
        @Option(names = "--ignore-pull-failures", description = "Pull what it can and ignores images with pull failures")
        boolean ignoreFailures;

        @Option(names = {"-q", "--quiet"}, description = "Pull without printing progress information")
        boolean quiet;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        @Override
        public Integer call() {
            orExit(() -> opts.compose().pull(opts.project(), orEmpty(services), ignoreFailures));
            return 0;
        }
    }

    @Command(name = "push")
    static final class Push extends ComposeSubcommand {
        @Option(names = "--ignore-push-failures", description = "Push what it can and ignores images with push failures")
        boolean ignoreFailures;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        @Override
        public Integer call() {
            try {
                opts.compose().push(opts.project(), orEmpty(services));
            } catch (ComposeException | IllegalArgumentException e) {
                if (!ignoreFailures) {
                    throw new Cli.Exit(1, e.getMessage());
                }
            }
            return 0;
        }
    }

    @Command(name = "images")
    static final class Images extends ComposeSubcommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
        boolean quiet;

        @Option(names = "--format", paramLabel = "string", description = "Format the output. Values: [table | json]")
        String format;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services;

        @Override
        public Integer call() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ContainerSummary c : opts.compose().containers(opts.name(), orEmpty(services), true, false)) {
                ImageInspect img;
                try {
                    img = cli.client().images().inspect(c.imageId());
                } catch (ApiException e) {
                    continue;
                }
                String ref = c.image() == null ? "" : c.image();
                int colon = ref.lastIndexOf(':');
                boolean tagged = colon > ref.lastIndexOf('/');
                Map<String, Object> r = new LinkedHashMap<>();
                String n = c.names().getFirst();
                r.put("Container", n.startsWith("/") ? n.substring(1) : n);
                r.put("Repository", tagged ? ref.substring(0, colon) : ref);
                r.put("Tag", tagged ? ref.substring(colon + 1) : "latest");
                r.put("ID", img.id().replace("sha256:", "").substring(0, 12));
                r.put("Size", Units.humanSize(img.size()));
                r.put("Service", c.labels().getOrDefault(Labels.SERVICE, ""));
                rows.add(r);
            }
            String f = quiet ? "{{.ID}}" : format;
            cli.out().print(ListFormat.render(f, "table {{.Container}}\t{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}",
                    Map.of("Container", "CONTAINER", "Repository", "REPOSITORY", "Tag", "TAG", "ID", "IMAGE ID",
                            "Size", "SIZE", "Service", "SERVICE"), rows));
            return 0;
        }
    }
}
