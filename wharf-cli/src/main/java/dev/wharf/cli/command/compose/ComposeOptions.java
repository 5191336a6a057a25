package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.compose.load.ComposeFileException;
import dev.wharf.compose.load.ProjectLoader;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.run.Compose;
import dev.wharf.compose.run.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@code wharf compose} itself (before the subcommand) and what they lead to: the
 * loaded project, its name, and a {@link Compose} that reports progress on stderr.
 */
final class ComposeOptions {

    final Cli cli;
    final List<String> files;
    final String projectName;
    final String projectDirectory;
    final List<String> profiles;
    final List<String> envFiles;
    final String ansi;
    final String progressMode;
    private final Map<String, String> env;
    private Project project;

    ComposeOptions(Cli cli, List<String> files, String projectName, String projectDirectory, List<String> profiles,
            List<String> envFiles, String ansi, String progressMode, Map<String, String> env) {
        this.cli = cli;
        this.files = files;
        this.projectName = projectName;
        this.projectDirectory = projectDirectory;
        this.profiles = profiles;
        this.envFiles = envFiles;
        this.ansi = ansi;
        this.progressMode = progressMode;
        this.env = env;
    }

    /** The project from the files; a bad file ends the command with its file, line and key. */
    Project project() {
        if (project == null) {
            Path cwd = Path.of("").toAbsolutePath();
            try {
                project = ProjectLoader.load(new ProjectLoader.Options(cwd, files.stream().map(Path::of).toList(),
                        projectDirectory == null ? null : Path.of(projectDirectory), projectName, profiles,
                        envFiles.stream().map(Path::of).toList(), env));
            } catch (ComposeFileException e) {
                throw new Cli.Exit(1, e.getMessage());
            }
            for (String w : project.warnings()) {
                cli.err().println("WARN[0000] " + w);
            }
        }
        return project;
    }

    /** The project if its files can be read, else null (for commands that work from -p alone). */
    Project projectIfAny() {
        if (projectName != null && files.isEmpty()) {
            try {
                return project();
            } catch (Cli.Exit e) {
                return null;
            }
        }
        return project();
    }

    /** {@code -p}, else the loaded project's name. */
    String name() {
        if (projectName != null && !projectName.isBlank()) {
            return projectName;
        }
        return project().name();
    }

    boolean color() {
        if ("never".equals(ansi)) {
            return false;
        }
        if ("always".equals(ansi)) {
            return true;
        }
        return cli.terminal().isInteractive() && env.get("NO_COLOR") == null;
    }

    Progress progress() {
        if ("quiet".equals(progressMode)) {
            return Progress.silent();
        }
        boolean live = !"plain".equals(progressMode) && ("tty".equals(progressMode) || color());
        return new ComposeProgress(cli.err(), live);
    }

    Compose compose() {
        return new Compose(cli.client(), progress());
    }
}
