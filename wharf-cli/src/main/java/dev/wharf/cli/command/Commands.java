package dev.wharf.cli.command;

import dev.wharf.cli.command.container.AttachCommand;
import dev.wharf.cli.command.container.CreateCommand;
import dev.wharf.cli.command.container.ExecCommand;
import dev.wharf.cli.command.container.KillCommand;
import dev.wharf.cli.command.container.LogsCommand;
import dev.wharf.cli.command.container.PauseCommand;
import dev.wharf.cli.command.container.PsCommand;
import dev.wharf.cli.command.container.RestartCommand;
import dev.wharf.cli.command.container.RmCommand;
import dev.wharf.cli.command.container.RunCommand;
import dev.wharf.cli.command.container.StartCommand;
import dev.wharf.cli.command.container.StopCommand;
import dev.wharf.cli.command.container.TopCommand;
import dev.wharf.cli.command.container.UnpauseCommand;
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
            new Entry("load", "wharf load [OPTIONS]", "Load an image from a tar archive or STDIN",
                    dev.wharf.cli.command.image.LoadCommand::new, false),
            new Entry("save", "wharf save [OPTIONS] IMAGE [IMAGE...]",
                    "Save one or more images to a tar archive (streamed to STDOUT by default)",
                    dev.wharf.cli.command.image.SaveCommand::new, false),
            new Entry("history", "wharf history [OPTIONS] IMAGE", "Show the history of an image",
                    dev.wharf.cli.command.image.HistoryCommand::new, false),
            new Entry("image prune", "wharf image prune [OPTIONS]", "Remove unused images",
                    dev.wharf.cli.command.image.ImagePruneCommand::new, false),
            new Entry("commit", "wharf commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
                    "Create a new image from a container's changes",
                    dev.wharf.cli.command.container.CommitCommand::new, false),
            new Entry("export", "wharf export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive",
                    dev.wharf.cli.command.container.ExportCommand::new, false),
            new Entry("diff", "wharf diff CONTAINER",
                    "Inspect changes to files or directories on a container's filesystem",
                    dev.wharf.cli.command.container.DiffCommand::new, false),
            new Entry("cp", "wharf cp [OPTIONS] CONTAINER:SRC_PATH -\n\twharf cp [OPTIONS] - CONTAINER:DEST_PATH",
                    "Copy files/folders between a container and the local filesystem",
                    dev.wharf.cli.command.container.CpCommand::new, false),
            new Entry("container prune", "wharf container prune [OPTIONS]", "Remove all stopped containers",
                    dev.wharf.cli.command.container.ContainerPruneCommand::new, false),
            new Entry("system df", "wharf system df [OPTIONS]", "Show docker disk usage",
                    dev.wharf.cli.command.system.DfCommand::new, false),
            new Entry("system prune", "wharf system prune [OPTIONS]", "Remove unused data",
                    dev.wharf.cli.command.system.SystemPruneCommand::new, false),
            new Entry("volume create", "wharf volume create [OPTIONS] [VOLUME]", "Create a volume",
                    dev.wharf.cli.command.volume.VolumeCreateCommand::new, false),
            new Entry("volume ls", "wharf volume ls [OPTIONS]", "List volumes",
                    dev.wharf.cli.command.volume.VolumeLsCommand::new, false),
            new Entry("volume inspect", "wharf volume inspect [OPTIONS] VOLUME [VOLUME...]",
                    "Display detailed information on one or more volumes",
                    dev.wharf.cli.command.volume.VolumeInspectCommand::new, false),
            new Entry("volume rm", "wharf volume rm [OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes",
                    dev.wharf.cli.command.volume.VolumeRmCommand::new, false),
            new Entry("volume prune", "wharf volume prune [OPTIONS]", "Remove unused local volumes",
                    dev.wharf.cli.command.volume.VolumePruneCommand::new, false),
            new Entry("network create", "wharf network create [OPTIONS] NETWORK", "Create a network",
                    dev.wharf.cli.command.network.NetworkCreateCommand::new, false),
            new Entry("network ls", "wharf network ls [OPTIONS]", "List networks",
                    dev.wharf.cli.command.network.NetworkLsCommand::new, false),
            new Entry("network inspect", "wharf network inspect [OPTIONS] NETWORK [NETWORK...]",
                    "Display detailed information on one or more networks",
                    dev.wharf.cli.command.network.NetworkInspectCommand::new, false),
            new Entry("network rm", "wharf network rm NETWORK [NETWORK...]", "Remove one or more networks",
                    dev.wharf.cli.command.network.NetworkRmCommand::new, false),
            new Entry("network prune", "wharf network prune [OPTIONS]", "Remove all unused networks",
                    dev.wharf.cli.command.network.NetworkPruneCommand::new, false),
            new Entry("network connect", "wharf network connect [OPTIONS] NETWORK CONTAINER",
                    "Connect a container to a network",
                    dev.wharf.cli.command.network.NetworkConnectCommand::new, false),
            new Entry("network disconnect", "wharf network disconnect [OPTIONS] NETWORK CONTAINER",
                    "Disconnect a container from a network",
                    dev.wharf.cli.command.network.NetworkDisconnectCommand::new, false),
            new Entry("port", "wharf port CONTAINER [PRIVATE_PORT[/PROTO]]",
                    "List port mappings or a specific mapping for the container",
                    dev.wharf.cli.command.network.PortCommand::new, false),
            new Entry("exec", "wharf exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                    "Execute a command in a running container", ExecCommand::new, true),
            new Entry("pause", "wharf pause CONTAINER [CONTAINER...]",
                    "Pause all processes within one or more containers", PauseCommand::new, false),
            new Entry("unpause", "wharf unpause CONTAINER [CONTAINER...]",
                    "Unpause all processes within one or more containers", UnpauseCommand::new, false),
            new Entry("top", "wharf top CONTAINER [ps OPTIONS]", "Display the running processes of a container",
                    TopCommand::new, true),
            new Entry("rename", "wharf rename CONTAINER NEW_NAME", "Rename a container",
                    dev.wharf.cli.command.container.RenameCommand::new, false),
            new Entry("update", "wharf update [OPTIONS] CONTAINER [CONTAINER...]",
                    "Update configuration of one or more containers",
                    dev.wharf.cli.command.container.UpdateCommand::new, false),
            new Entry("stats", "wharf stats [OPTIONS] [CONTAINER...]",
                    "Display a live stream of container(s) resource usage statistics",
                    dev.wharf.cli.command.container.StatsCommand::new, false),
            new Entry("events", "wharf events [OPTIONS]", "Get real time events from the server",
                    dev.wharf.cli.command.system.EventsCommand::new, false),
            new Entry("pull", "wharf pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry",
                    dev.wharf.cli.command.image.PullCommand::new, false),
            new Entry("push", "wharf push [OPTIONS] NAME[:TAG]", "Upload an image to a registry",
                    dev.wharf.cli.command.image.PushCommand::new, false),
            new Entry("login", "wharf login [OPTIONS] [SERVER]", "Log in to a registry",
                    dev.wharf.cli.command.image.LoginCommand::new, false),
            new Entry("logout", "wharf logout [SERVER]", "Log out from a registry",
                    dev.wharf.cli.command.image.LogoutCommand::new, false),
            new Entry("build", "wharf build [OPTIONS] PATH | -", "Build an image from a Dockerfile",
                    dev.wharf.cli.command.build.BuildCommand::new, false),
            new Entry("builder prune", "wharf builder prune [OPTIONS]", "Remove build cache",
                    dev.wharf.cli.command.build.BuilderPruneCommand::new, false),
            new Entry("compose", "wharf compose [OPTIONS] COMMAND", "Define and run multi-container applications",
                    dev.wharf.cli.command.compose.ComposeCommand::new, true),
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
            Map.entry("container inspect", "inspect"), Map.entry("container exec", "exec"),
            Map.entry("container pause", "pause"), Map.entry("container unpause", "unpause"),
            Map.entry("container top", "top"), Map.entry("image ls", "images"),
            Map.entry("image list", "images"), Map.entry("image rm", "rmi"), Map.entry("image remove", "rmi"),
            Map.entry("image tag", "tag"), Map.entry("image import", "import"), Map.entry("image inspect", "inspect"),
            Map.entry("system info", "info"), Map.entry("image load", "load"), Map.entry("image save", "save"),
            Map.entry("image history", "history"), Map.entry("container commit", "commit"),
            Map.entry("container export", "export"), Map.entry("container diff", "diff"),
            Map.entry("container cp", "cp"), Map.entry("volume list", "volume ls"),
            Map.entry("volume remove", "volume rm"), Map.entry("container rename", "rename"),
            Map.entry("container update", "update"), Map.entry("container stats", "stats"),
            Map.entry("system events", "events"), Map.entry("network list", "network ls"),
            Map.entry("network remove", "network rm"), Map.entry("container port", "port"),
            Map.entry("image pull", "pull"), Map.entry("image push", "push"),

            Map.entry("image build", "build"), Map.entry("builder build", "build"));

    private Commands() {
    }

    /** Every subcommand (for build-time tools such as {@link dev.wharf.cli.FlagTables}). */
    public static List<Entry> entries() {
        return ENTRIES;
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
        if (args.length > 1) {
            Entry two = entry(args[0] + " " + args[1]);
            if (two != null) {
                return new Resolved(two, Arrays.copyOfRange(args, 2, args.length));
            }
        }
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
