package dev.wharf.cli.command.volume;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.model.volume.VolumeCreateRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf volume create [OPTIONS] [VOLUME]}: prints the volume's name. */
@Command(name = "volume create")
public final class VolumeCreateCommand extends WharfCommand {

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Specify volume driver name (default \"local\")")
    String driver = "local";

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for a volume")
    List<String> labels;

    @Option(names = "--name", paramLabel = "string", description = "Specify volume name")
    String name;

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
    List<String> opts;

    @Parameters(arity = "0..*", paramLabel = "VOLUME")
    List<String> args;

    @Override
    public Integer call() {
        if (orEmpty(args).size() > 1) {
            throw new Cli.UsageError("'wharf volume create' requires at most 1 argument");
        }
        String n = orEmpty(args).isEmpty() ? name : args.getFirst();
        if (name != null && n != null && !name.equals(n)) {
            throw new Cli.Exit(1, "conflicting options: cannot specify a volume-name through both --name and as a "
                    + "positional arg");
        }
        var v = cli.client().volumes().create(new VolumeCreateRequest(n, driver, pairs(opts), pairs(labels)));
        cli.out().println(v.name());
        return 0;
    }

    static Map<String, String> pairs(List<String> l) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : orEmpty(l)) {
            int i = kv.indexOf('=');
            m.put(i < 0 ? kv : kv.substring(0, i), i < 0 ? "" : kv.substring(i + 1));
        }
        return m;
    }
}
