package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.cli.FlagParser;
import dev.wharf.cli.command.Commands;
import dev.wharf.cli.command.WharfCommand;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf compose [OPTIONS] COMMAND}: reads the compose-level flags, then runs the
 * subcommand with its own flags. The project comes from the compose files (or only its name,
 * {@code -p}, for the commands that act on what the daemon already has).
 */
@Command(name = "compose")
public final class ComposeCommand extends WharfCommand {

    @Option(names = {"-f", "--file"}, paramLabel = "stringArray", description = "Compose configuration files")
    List<String> files;

    @Option(names = {"-p", "--project-name"}, paramLabel = "string", description = "Project name")
    String projectName;

    @Option(names = "--project-directory", paramLabel = "string",
            description = "Specify an alternate working directory (default: the path of the, first specified, Compose file)")
    String projectDirectory;

    @Option(names = "--profile", paramLabel = "stringArray", description = "Specify a profile to enable")
    List<String> profiles;

    @Option(names = "--env-file", paramLabel = "stringArray", description = "Specify an alternate environment file")
    List<String> envFiles;

    @Option(names = "--ansi", paramLabel = "string", defaultValue = "auto",
            description = "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\") (default \"auto\")")
    String ansi;

    @Option(names = "--progress", paramLabel = "string", defaultValue = "auto",
            description = "Set type of progress output (auto, tty, plain, quiet) (default \"auto\")")
    String progress;

    @Option(names = "--parallel", paramLabel = "int", defaultValue = "-1", description = "Control max parallelism, -1 for unlimited (default -1)")
    int parallel;

    @Parameters(arity = "0..*", paramLabel = "COMMAND")
    List<String> args;

    /** One subcommand: its name, synopsis, description and factory. */
    public record Sub(String name, String synopsis, String description, Supplier<ComposeSubcommand> factory,
            boolean stopAtPositional) {
    }

    static final List<Sub> SUBS = List.of(
            new Sub("up", "wharf compose up [OPTIONS] [SERVICE...]", "Create and start containers", UpCommand::new, false),
            new Sub("down", "wharf compose down [OPTIONS] [SERVICES]", "Stop and remove containers, networks",
                    DownCommand::new, false),
            new Sub("ps", "wharf compose ps [OPTIONS] [SERVICE...]", "List containers", PsCommand::new, false),
            new Sub("logs", "wharf compose logs [OPTIONS] [SERVICE...]", "View output from containers",
                    LogsCommand::new, false),
            new Sub("build", "wharf compose build [OPTIONS] [SERVICE...]", "Build or rebuild services",
                    ImagesCommands.Build::new, false),
            new Sub("pull", "wharf compose pull [OPTIONS] [SERVICE...]", "Pull service images",
                    ImagesCommands.Pull::new, false),
            new Sub("push", "wharf compose push [OPTIONS] [SERVICE...]", "Push service images",
                    ImagesCommands.Push::new, false),
            new Sub("images", "wharf compose images [OPTIONS] [SERVICE...]", "List images used by the created containers",
                    ImagesCommands.Images::new, false),
            new Sub("config", "wharf compose config [OPTIONS] [SERVICE...]", "Parse, resolve and render compose file in canonical format",
                    ConfigCommand::new, false),
            new Sub("exec", "wharf compose exec [OPTIONS] SERVICE COMMAND [ARGS...]",
                    "Execute a command in a running container", ExecCommand::new, true),
            new Sub("run", "wharf compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]", "Run a one-off command on a service",
                    RunCommand::new, true),
            new Sub("start", "wharf compose start [SERVICE...]", "Start services", () -> new ActionCommand("start"), false),
            new Sub("stop", "wharf compose stop [OPTIONS] [SERVICE...]", "Stop services", () -> new ActionCommand("stop"), false),
            new Sub("restart", "wharf compose restart [OPTIONS] [SERVICE...]", "Restart service containers",
                    () -> new ActionCommand("restart"), false),
            new Sub("kill", "wharf compose kill [OPTIONS] [SERVICE...]", "Force stop service containers",
                    () -> new ActionCommand("kill"), false),
            new Sub("pause", "wharf compose pause [SERVICE...]", "Pause services", () -> new ActionCommand("pause"), false),
            new Sub("unpause", "wharf compose unpause [SERVICE...]", "Unpause services", () -> new ActionCommand("unpause"),
                    false),
            new Sub("rm", "wharf compose rm [OPTIONS] [SERVICE...]", "Removes stopped service containers", RmCommand::new,
                    false),
            new Sub("top", "wharf compose top [SERVICES...]", "Display the running processes", InfoCommands.Top::new, false),
            new Sub("port", "wharf compose port [OPTIONS] SERVICE PRIVATE_PORT", "Print the public port for a port binding",
                    InfoCommands.Port::new, false),
            new Sub("events", "wharf compose events [OPTIONS] [SERVICE...]", "Receive real time events from containers",
                    InfoCommands.Events::new, false),
            new Sub("ls", "wharf compose ls [OPTIONS]", "List running compose projects", InfoCommands.Ls::new, false),
            new Sub("version", "wharf compose version [OPTIONS]", "Show the Docker Compose version information",
                    InfoCommands.Version::new, false));

    /** Every subcommand (for {@link dev.wharf.cli.FlagTables}). */
    public static List<Sub> subcommands() {
        return SUBS;
    }

    @Override
    public Integer call() throws Exception {
        if (args == null || args.isEmpty()) {
            cli.out().print(help());
            return 0;
        }
        String name = args.getFirst();
        Sub sub = SUBS.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        if (sub == null) {
            throw new Cli.Exit(1, "unknown docker command: \"compose " + name + "\"");
        }
        ComposeSubcommand cmd = sub.factory().get();
        cmd.init(cli, name);
        cmd.attach(new ComposeOptions(cli, orEmpty(files), projectName, projectDirectory, orEmpty(profiles),
                orEmpty(envFiles), ansi, progress, System.getenv()));
        String[] rest = args.subList(1, args.size()).toArray(String[]::new);
        try {
            if (!FlagParser.parse(cmd, rest, sub.stopAtPositional())) {
                Commands.Entry e = new Commands.Entry("compose " + sub.name(), sub.synopsis(), sub.description(),
                        sub.factory()::get, sub.stopAtPositional());
                Commands.commandLine(sub.factory().get(), e).usage(cli.out(), picocli.CommandLine.Help.Ansi.OFF);
                return 0;
            }
        } catch (FlagParser.FlagError e) {
            throw new Cli.Exit(1, e.getMessage() + "\n\nUsage:  " + sub.synopsis() + "\n\nRun 'wharf compose "
                    + sub.name() + " --help' for more information");
        }
        Integer code = cmd.call();
        return code == null ? 0 : code;
    }

    static String help() {
        StringBuilder sb = new StringBuilder("Usage:  wharf compose [OPTIONS] COMMAND\n\nDefine and run multi-container "
                + "applications with Wharf\n\nOptions:\n"
                + "      --ansi string                Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\")\n"
                + "      --env-file stringArray       Specify an alternate environment file\n"
                + "  -f, --file stringArray           Compose configuration files\n"
                + "      --profile stringArray        Specify a profile to enable\n"
                + "      --progress string            Set type of progress output (auto, tty, plain, quiet)\n"
                + "      --project-directory string   Specify an alternate working directory\n"
                + "  -p, --project-name string        Project name\n\nCommands:\n");
        for (Sub s : SUBS) {
            sb.append(String.format("  %-10s  %s%n", s.name(), s.description()));
        }
        sb.append("\nRun 'wharf compose COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }

    static String[] array(List<String> l) {
        return l.toArray(String[]::new);
    }

    static List<String> list(String... a) {
        return Arrays.asList(a);
    }
}
