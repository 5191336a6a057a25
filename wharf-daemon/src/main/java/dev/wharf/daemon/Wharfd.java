package dev.wharf.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code wharfd}: the Wharf daemon. Serves the Docker Engine API until SIGTERM or SIGINT, then
 * stops listening and exits, leaving containers running under their conmon monitors.
 */
public final class Wharfd {

    /** Command-line options. */
    record Options(Path dataRoot, Path execRoot, List<String> hosts, Path runc, Path conmon, String bridgeName,
            String bip, String addressPool) {
    }

    private Wharfd() {
    }

    public static void main(String[] args) throws Exception {
        // Netty would load Flight Recorder's classes (a megabyte or two of metaspace) to ask whether
        // it may emit events; the daemon records none.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("wharfd: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o == null) {
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Wiring w;
        try {
            w = new Wiring(o);
        } catch (Exception e) {
            System.err.println("wharfd: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            w.close();
            stop.countDown();
        }, "wharfd-shutdown"));
        System.err.println("wharfd: API listening on " + String.join(", ", o.hosts()));
        stop.await();
    }

    static Options parse(String[] args) {
        Path data = Path.of("/var/lib/wharf");
        Path exec = Path.of("/run/wharf");
        List<String> hosts = new ArrayList<>();
        Path runc = find("runc", "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc");
        Path conmon = find("conmon", "/usr/bin/conmon", "/usr/libexec/podman/conmon", "/usr/local/bin/conmon");
        String bridgeName = "wharf0";
        String bip = null;
        String addressPool = "base=10.89.0.0/16,size=24";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--data-root" -> data = Path.of(v != null ? v : value(args, ++i, a));
                case "--exec-root" -> exec = Path.of(v != null ? v : value(args, ++i, a));
                case "-H", "--host" -> hosts.add(v != null ? v : value(args, ++i, a));
                case "--runc" -> runc = Path.of(v != null ? v : value(args, ++i, a));
                case "--conmon" -> conmon = Path.of(v != null ? v : value(args, ++i, a));
                case "-b", "--bridge" -> bridgeName = v != null ? v : value(args, ++i, a);
                case "--bip" -> bip = v != null ? v : value(args, ++i, a);
                case "--default-address-pool" -> addressPool = v != null ? v : value(args, ++i, a);
                case "-h", "--help" -> {
                    System.out.println("""
                            Usage: wharfd [OPTIONS]

                            The Wharf daemon: serves the Docker Engine API.

                            Options:
                                  --data-root DIR   where state and images live (default /var/lib/wharf)
                                  --exec-root DIR   runtime state: sockets, mounts (default /run/wharf)
                              -H, --host URL        unix:///path or tcp://host:port; repeatable
                                                    (default unix:///run/wharf/wharf.sock)
                                  --runc PATH       the OCI runtime (default: runc on the PATH)
                                  --conmon PATH     the container monitor (default: conmon on the PATH)
                              -b, --bridge NAME     device of the default bridge network (default wharf0)
                                  --bip CIDR        its address and subnet, e.g. 10.88.0.1/16 (default:
                                                    the first of 172.17-23.0.0/16 no host route uses)
                                  --default-address-pool base=CIDR,size=N
                                                    subnets for new networks (default base=10.89.0.0/16,size=24)""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown flag: " + a);
            }
        }
        if (hosts.isEmpty()) {
            hosts.add("unix://" + exec.resolve("wharf.sock"));
        }
        return new Options(data.toAbsolutePath(), exec.toAbsolutePath(), hosts, runc, conmon, bridgeName, bip,
                addressPool);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException("flag needs an argument: " + flag);
        }
        return args[i];
    }

    private static Path find(String name, String... candidates) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return Path.of(candidates[0]);
    }
}
