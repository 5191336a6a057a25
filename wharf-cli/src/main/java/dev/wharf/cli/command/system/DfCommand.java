package dev.wharf.cli.command.system;

import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.TabWriter;
import dev.wharf.cli.format.Units;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.model.system.DiskUsage;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code system df}: docker's four rows, and with {@code -v} the per-image and per-container tables. */
@Command(name = "system df")
public final class DfCommand extends WharfCommand {

    @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
    boolean verbose;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        DiskUsage du = TransferApi.of(cli.client()).diskUsage();
        long used = 0;
        int activeImages = 0;
        for (ImageSummary i : du.images()) {
            if (i.containers() > 0) {
                activeImages++;
                used += i.size() - i.sharedSize();
            }
        }
        long images = du.layersSize();
        long cSize = 0;
        long cReclaim = 0;
        int running = 0;
        for (ContainerSummary c : du.containers()) {
            long rw = c.sizeRw() == null ? 0 : c.sizeRw();
            cSize += rw;
            if ("running".equals(c.state())) {
                running++;
            } else {
                cReclaim += rw;
            }
        }
        if (!verbose) {
            TabWriter t = new TabWriter();
            t.add("TYPE\tTOTAL\tACTIVE\tSIZE\tRECLAIMABLE");
            t.add("Images\t" + du.images().size() + "\t" + activeImages + "\t" + Units.humanSize(images) + "\t"
                    + reclaim(images - used, images));
            t.add("Containers\t" + du.containers().size() + "\t" + running + "\t" + Units.humanSize(cSize) + "\t"
                    + reclaim(cReclaim, cSize));
            t.add("Local Volumes\t" + du.volumes().size() + "\t0\t0B\t0B");
            t.add("Build Cache\t0\t0\t0B\t0B");
            cli.out().print(t.render());
            return 0;
        }
        cli.out().println("Images space usage:\n");
        TabWriter t = new TabWriter();
        t.add("REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS");
        for (ImageSummary i : du.images()) {
            String rt = i.repoTags() == null || i.repoTags().isEmpty() ? "<none>:<none>" : i.repoTags().getFirst();
            int colon = rt.lastIndexOf(':');
            t.add(rt.substring(0, colon) + "\t" + rt.substring(colon + 1) + "\t" + i.id().substring(7, 19) + "\t"
                    + Units.ago(i.created(), cli.now()) + "\t" + Units.humanSize(i.size()) + "\t"
                    + Units.humanSize(i.sharedSize()) + "\t" + Units.humanSize(i.size() - i.sharedSize()) + "\t"
                    + i.containers());
        }
        cli.out().print(t.render());
        cli.out().println("\nContainers space usage:\n");
        TabWriter c = new TabWriter();
        c.add("CONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES");
        for (ContainerSummary s : du.containers()) {
            c.add(s.id().substring(0, 12) + "\t" + s.image() + "\t\"" + Units.ellipsis(s.command(), 20) + "\"\t0\t"
                    + Units.humanSize(s.sizeRw() == null ? 0 : s.sizeRw()) + "\t" + Units.ago(s.created(), cli.now())
                    + "\t" + s.status() + "\t" + s.names().getFirst().substring(1));
        }
        cli.out().print(c.render());
        return 0;
    }

    private static String reclaim(long part, long total) {
        String s = Units.humanSize(Math.max(0, part));
        return total > 0 ? s + " (" + (part * 100 / total) + "%)" : s;
    }
}
