package dev.wharf.builder.instruction;

import dev.wharf.builder.parse.Heredoc;
import dev.wharf.builder.parse.Line;
import java.util.List;

/**
 * A Dockerfile instruction, typed. Arguments stay unexpanded here: the dispatcher expands them with
 * the build arguments and environment in scope at that step.
 */
public sealed interface Instruction {

    /** Where the instruction came from; {@link Line#original()} is what {@code Step N/M} prints. */
    Line line();

    record From(Line line, String image, String platform, String alias) implements Instruction {
    }

    record Run(Line line, Command command, List<RunMount> mounts, String network, List<Heredoc> heredocs)
            implements Instruction {
    }

    record Cmd(Line line, Command command) implements Instruction {
    }

    record Entrypoint(Line line, Command command) implements Instruction {
    }

    record Env(Line line, List<KeyValue> pairs) implements Instruction {
    }

    record Arg(Line line, List<ArgDef> args) implements Instruction {
    }

    record Workdir(Line line, String path) implements Instruction {
    }

    record User(Line line, String user) implements Instruction {
    }

    /** COPY, or ADD when {@code add}; {@code sources} and {@code dest} unexpanded. */
    record Copy(Line line, boolean add, List<String> sources, String dest, String from, String chown, String chmod,
            boolean link, String checksum, boolean keepGitDir, List<Heredoc> heredocs) implements Instruction {
    }

    record Label(Line line, List<KeyValue> pairs) implements Instruction {
    }

    record Expose(Line line, List<String> ports) implements Instruction {
    }

    record Volume(Line line, List<String> paths) implements Instruction {
    }

    /** {@code none} for {@code HEALTHCHECK NONE}; durations as written ({@code 30s}), null when not given. */
    record Healthcheck(Line line, boolean none, Command test, String interval, String timeout, String startPeriod,
            String startInterval, String retries) implements Instruction {
    }

    record StopSignal(Line line, String signal) implements Instruction {
    }

    record Shell(Line line, List<String> shell) implements Instruction {
    }

    /** The trigger as written, e.g. {@code RUN make}; it runs in the builds that start FROM this image. */
    record OnBuild(Line line, String trigger) implements Instruction {
    }

    record Maintainer(Line line, String name) implements Instruction {
    }
}
