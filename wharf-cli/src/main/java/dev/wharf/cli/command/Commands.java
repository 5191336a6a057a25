package dev.wharf.cli.command;

import dev.wharf.cli.command.container.AttachCommand;
import dev.wharf.cli.command.container.CreateCommand;
import dev.wharf.cli.command.container.KillCommand;
import dev.wharf.cli.command.container.LogsCommand;
import dev.wharf.cli.command.container.PsCommand;
import dev.wharf.cli.command.container.RestartCommand;
import dev.wharf.cli.command.container.RmCommand;
import dev.wharf.cli.command.container.RunCommand;
import dev.wharf.cli.command.container.StartCommand;
import dev.wharf.cli.command.container.StopCommand;
import dev.wharf.cli.command.container.WaitCommand;
import dev.wharf.cli.command.image.ImagesCommand;
import dev.wharf.cli.command.image.ImportCommand;
import dev.wharf.cli.command.image.RmiCommand;
import dev.wharf.cli.command.image.TagCommand;
import dev.wharf.cli.command.system.InfoCommand;
import dev.wharf.cli.command.system.InspectCommand;
import dev.wharf.cli.command.system.VersionCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The table of subcommands: name, synopsis, one-line description, and how to make one. */
public final class Commands {

    public record Entry(String name, String synopsis, String description, Supplier<WharfCommand> factory,
            boolean stopAtImage) {
    }

    public record Resolved(Entry entry, String[] args) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("run", "wharf run [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image",
                    RunCommand::new, true),
            new Entry("ps", "wharf ps [OPTIONS]", "List containers", PsCommand::new, false),
            new Entry("images", "wharf images [OPTIONS] [REPOSITORY[:TAG]]", "List images", ImagesCommand::new, false),
            new Entry("version", "wharf version [OPTIONS]", "Show the Wharf version information", VersionCommand::new,
                    false),
            new Entry("info", "wharf info [OPTIONS]", "Display system-wide information", InfoCommand::new, false),
            new Entry("attach", "wharf attach [OPTIONS] CONTAINER",
                    "Attach local standard input, output, and error streams to a running container",
                    AttachCommand::new, false),
            new Entry("create", "wharf create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container",
                    CreateCommand::new, true),
            new Entry("import", "wharf import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
                    "Import the contents from a tarball to create a filesystem image", ImportCommand::new, false),
            new Entry("inspect", "wharf inspect [OPTIONS] NAME|ID [NAME|ID...]",
                    "Return low-level information on Wharf objects", InspectCommand::new, false),
            new Entry("kill", "wharf kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers",
                    KillCommand::new, false),
            new Entry("logs", "wharf logs [OPTIONS] CONTAINER", "Fetch the logs of a container", LogsCommand::new, false),
            new Entry("restart", "wharf restart [OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers",
                    RestartCommand::new, false),
            new Entry("rm", "wharf rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers",
                    RmCommand::new, false),
            new Entry("rmi", "wharf rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", RmiCommand::new, false),
            new Entry("start", "wharf start [OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers",
                    StartCommand::new, false),
            new Entry("stop", "wharf stop [OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers",
                    StopCommand::new, false),
            new Entry("tag", "wharf tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
                    "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", TagCommand::new, false),
            new Entry("wait", "wharf wait CONTAINER [CONTAINER...]",
                    "Block until one or more containers stop, then print their exit codes", WaitCommand::new, false));

    /** docker's management-command spellings: {@code container ls}, {@code image rm}, … */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("container ls", "ps"), Map.entry("container list", "ps"), Map.entry("container ps", "ps"),
            Map.entry("container run", "run"), Map.entry("container create", "create"),
            Map.entry("container start", "start"), Map.entry("container stop", "stop"),
            Map.entry("container kill", "kill"), Map.entry("container restart", "restart"),
            Map.entry("container rm", "rm"), Map.entry("container remove", "rm"), Map.entry("container wait", "wait"),
            Map.entry("container logs", "logs"), Map.entry("container attach", "attach"),
            Map.entry("container inspect", "inspect"), Map.entry("image ls", "images"),
            Map.entry("image list", "images"), Map.entry("image rm", "rmi"), Map.entry("image remove", "rmi"),
            Map.entry("image tag", "tag"), Map.entry("image import", "import"), Map.entry("image inspect", "inspect"),
            Map.entry("system info", "info"));

    private Commands() {
    }

    public static Entry entry(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Finds the command for {@code args[0]} (or {@code args[0] args[1]}); null if unknown. */
    public static Resolved resolve(String[] args) {
        Entry e = entry(args[0]);
        if (e != null) {
            return new Resolved(e, Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 1) {
            String alias = ALIASES.get(args[0] + " " + args[1]);
            if (alias != null) {
                return new Resolved(entry(alias), Arrays.copyOfRange(args, 2, args.length));
            }
        }
        return null;
    }

    /** picocli's model for one command, set up to parse like docker's flag library. */
    public static CommandLine commandLine(WharfCommand cmd, Entry e) {
        CommandLine cl = new CommandLine(cmd);
        cl.setCommandName("wharf " + e.name());
        cl.setExpandAtFiles(false);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setStopAtPositional(e.stopAtImage());
        CommandLine.Model.UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.customSynopsis("Usage:  " + e.synopsis());
        u.description(e.description());
        u.descriptionHeading("%n");
        u.optionListHeading("%nOptions:%n");
        u.synopsisHeading("");
        u.width(100);
        return cl;
    }

    public static String topLevelHelp() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage:  wharf [OPTIONS] COMMAND\n\nA container engine that speaks the Docker API\n\nCommands:\n");
        ENTRIES.stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(e ->
                sb.append(String.format("  %-10s  %s%n", e.name(), e.description())));
        sb.append("""

                Global Options:
                  -D, --debug          Enable debug mode
                  -H, --host string    Daemon socket to connect to (default: $WHARF_HOST, $DOCKER_HOST,
                                       or unix:///run/wharf/wharf.sock)
                  -v, --version        Print version information and quit

                Run 'wharf COMMAND --help' for more information on a command.
                """);
        return sb.toString();
    }
}
