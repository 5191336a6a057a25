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
            String bip, String addressPool, dev.wharf.registry.RegistryOptions registry) {
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
        List<String> insecure = new ArrayList<>();
        List<java.net.URI> mirrors = new ArrayList<>();
        Path certsDir = dev.wharf.registry.RegistryOptions.DEFAULT_CERTS_DIR;
        int downloads = 3;
        int uploads = 5;
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
                case "--insecure-registry" -> insecure.add(v != null ? v : value(args, ++i, a));
                case "--registry-mirror" -> mirrors.add(mirror(v != null ? v : value(args, ++i, a)));
                case "--registry-certs-dir" -> certsDir = Path.of(v != null ? v : value(args, ++i, a));
                case "--max-concurrent-downloads" -> downloads = positive(v != null ? v : value(args, ++i, a), a);
                case "--max-concurrent-uploads" -> uploads = positive(v != null ? v : value(args, ++i, a), a);
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
                                                    subnets for new networks (default base=10.89.0.0/16,size=24)
                                  --insecure-registry HOST[:PORT]|CIDR
                                                    a registry spoken to without TLS verification, or over
                                                    plain HTTP; repeatable (loopback addresses always are)
                                  --registry-mirror URL
                                                    a mirror of Docker Hub tried first for pulls; repeatable
                                  --registry-certs-dir DIR
                                                    per-registry CAs and client certificates, as
                                                    DIR/HOST:PORT/{ca.crt,client.cert,client.key}
                                                    (default /etc/wharf/certs.d)
                                  --max-concurrent-downloads N   blobs fetched at once (default 3)
                                  --max-concurrent-uploads N     blobs pushed at once (default 5)""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown flag: " + a);
            }
        }
        if (hosts.isEmpty()) {
            hosts.add("unix://" + exec.resolve("wharf.sock"));
        }
        return new Options(data.toAbsolutePath(), exec.toAbsolutePath(), hosts, runc, conmon, bridgeName, bip,
                addressPool, new dev.wharf.registry.RegistryOptions(insecure, mirrors, certsDir, downloads, uploads));
    }

    private static java.net.URI mirror(String s) {
        try {
            java.net.URI u = new java.net.URI(s.contains("://") ? s : "https://" + s);
            if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("invalid --registry-mirror " + s + ": want http(s)://host[:port]");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid --registry-mirror " + s + ": " + e.getMessage());
        }
    }

    private static int positive(String s, String flag) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("invalid " + flag + " " + s + ": want a number of at least 1");
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
