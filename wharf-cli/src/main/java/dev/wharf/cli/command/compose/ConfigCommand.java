package dev.wharf.cli.command.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wharf compose config}: the project after interpolation, merging and normalization, as
 * YAML (or JSON); {@code --services}, {@code --volumes}, {@code --networks}, {@code --images} list
 * names, {@code -q} only validates.
 */
@Command(name = "config")
final class ConfigCommand extends ComposeSubcommand {

    @Option(names = {"-q", "--quiet"}, description = "Only validate the configuration, don't print anything")
    boolean quiet;

    @Option(names = "--services", description = "Print the service names, one per line")
    boolean services;

    @Option(names = "--volumes", description = "Print the volume names, one per line")
    boolean volumes;

    @Option(names = "--networks", description = "Print the network names, one per line")
    boolean networks;

    @Option(names = "--images", description = "Print the image names, one per line")
    boolean images;

    @Option(names = "--profiles", description = "Print the profile names, one per line")
    boolean profiles;

    @Option(names = "--format", paramLabel = "string", defaultValue = "yaml", description = "Format the output. Values: [yaml | json]")
    String format;

    @Option(names = "--hash", paramLabel = "string", description = "Print the service config hash, one per line")
    String hash;

    @Parameters(arity = "0..*", paramLabel = "SERVICE")
    List<String> args;

    @Override
    public Integer call() {
        Project p = opts.project();
        if (quiet) {
            return 0;
        }
        if (services || volumes || networks || images) {
            List<String> names = new ArrayList<>(services ? p.services().keySet() : volumes ? p.volumes().keySet()
                    : networks ? p.networks().keySet() : List.of());
            if (images) {
                p.services().values().forEach(s -> names.add(s.imageName(p.name())));
            }
            names.forEach(cli.out()::println);
            return 0;
        }
        if (profiles) {
            p.services().values().stream().flatMap(s -> s.profiles().stream()).distinct().sorted()
                    .forEach(cli.out()::println);
            return 0;
        }
        if (hash != null) {
            for (Service s : p.select(hash.equals("*") ? List.of() : List.of(hash.split(",")))) {
                cli.out().println(s.name() + " " + dev.wharf.compose.plan.ConfigHash.of(s));
            }
            return 0;
        }
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
        JsonNode tree = mapper.valueToTree(p);
        if (!orEmpty(args).isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode svc = mapper.createObjectNode();
            for (Service s : p.select(args)) {
                svc.set(s.name(), tree.get("services").get(s.name()));
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("services", svc);
        }
        if ("json".equals(format)) {
            cli.out().println(tree.toPrettyString());
            return 0;
        }
        cli.out().print(Yaml.write(mapper.convertValue(tree, Map.class)));
        return 0;
    }

    /** YAML in block style, as Docker Compose prints it. */
    static final class Yaml {
        private Yaml() {
        }

        static String write(Map<?, ?> m) {
            org.snakeyaml.engine.v2.api.DumpSettings s = org.snakeyaml.engine.v2.api.DumpSettings.builder()
                    .setDefaultFlowStyle(org.snakeyaml.engine.v2.common.FlowStyle.BLOCK).setIndent(2)
                    .setIndicatorIndent(2).setIndentWithIndicator(true).build();
            return new org.snakeyaml.engine.v2.api.Dump(s).dumpToString(new LinkedHashMap<>(m));
        }
    }
}
