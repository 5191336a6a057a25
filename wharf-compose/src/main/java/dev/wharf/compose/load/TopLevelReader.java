package dev.wharf.compose.load;

import static dev.wharf.compose.load.Fields.bool;
import static dev.wharf.compose.load.Fields.checkKeys;
import static dev.wharf.compose.load.Fields.error;
import static dev.wharf.compose.load.Fields.map;
import static dev.wharf.compose.load.Fields.mapOrEmpty;
import static dev.wharf.compose.load.Fields.str;
import static dev.wharf.compose.load.Fields.stringMap;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import dev.wharf.compose.model.FileObject;
import dev.wharf.compose.model.NetworkSpec;
import dev.wharf.compose.model.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The top-level {@code networks}, {@code volumes}, {@code secrets} and {@code configs}. */
final class TopLevelReader {

    private TopLevelReader() {
    }

    static Map<String, NetworkSpec> networks(YNode n) {
        Map<String, NetworkSpec> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(n, "networks");
        m.entries().forEach((k, v) -> {
            String p = "networks." + k;
            YMap nm = mapOrEmpty(v, p);
            checkKeys(nm, p, Set.of("name", "driver", "driver_opts", "external", "internal", "attachable",
                    "enable_ipv6", "ipam", "labels"));
            External ext = external(nm, p);
            NetworkSpec.Ipam ipam = null;
            if (nm.get("ipam") != null) {
                YMap im = map(nm.get("ipam"), p + ".ipam");
                checkKeys(im, p + ".ipam", Set.of("driver", "config", "options"));
                List<NetworkSpec.Pool> pools = new ArrayList<>();
                if (im.get("config") instanceof YSeq seq) {
                    for (int i = 0; i < seq.items().size(); i++) {
                        String cp = p + ".ipam.config[" + i + "]";
                        YMap c = map(seq.items().get(i), cp);
                        checkKeys(c, cp, Set.of("subnet", "ip_range", "gateway", "aux_addresses"));
                        pools.add(new NetworkSpec.Pool(str(c.get("subnet"), cp + ".subnet"),
                                str(c.get("ip_range"), cp + ".ip_range"), str(c.get("gateway"), cp + ".gateway")));
                    }
                } else if (im.get("config") != null) {
                    throw error(im.get("config"), p + ".ipam.config", "must be a list");
                }
                ipam = new NetworkSpec.Ipam(str(im.get("driver"), p + ".ipam.driver"), pools,
                        strMap(im.get("options"), p + ".ipam.options"));
            }
            String driver = str(nm.get("driver"), p + ".driver");
            if (driver != null && !driver.equals("bridge") && !ext.external) {
                throw error(nm.get("driver"), p + ".driver", "driver " + driver + " is not supported (bridge only)");
            }
            out.put(k, new NetworkSpec(ext.name != null ? ext.name : str(nm.get("name"), p + ".name"), driver,
                    strMap(nm.get("driver_opts"), p + ".driver_opts"), ext.external, bool(nm.get("internal"), p + ".internal"),
                    bool(nm.get("attachable"), p + ".attachable"), bool(nm.get("enable_ipv6"), p + ".enable_ipv6"), ipam,
                    strMap(nm.get("labels"), p + ".labels")));
        });
        return out;
    }

    static Map<String, VolumeSpec> volumes(YNode n) {
        Map<String, VolumeSpec> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(n, "volumes");
        m.entries().forEach((k, v) -> {
            String p = "volumes." + k;
            YMap vm = mapOrEmpty(v, p);
            checkKeys(vm, p, Set.of("name", "driver", "driver_opts", "external", "labels"));
            External ext = external(vm, p);
            out.put(k, new VolumeSpec(ext.name != null ? ext.name : str(vm.get("name"), p + ".name"),
                    str(vm.get("driver"), p + ".driver"), strMap(vm.get("driver_opts"), p + ".driver_opts"), ext.external,
                    strMap(vm.get("labels"), p + ".labels")));
        });
        return out;
    }

    /** Secrets or configs: {@code file} (made absolute, and it must exist), {@code environment} or {@code content}. */
    static Map<String, FileObject> files(YNode n, String section, Path projectDir, String home, Map<String, String> env) {
        Map<String, FileObject> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(n, section);
        m.entries().forEach((k, v) -> {
            String p = section + "." + k;
            YMap fm = map(v, p);
            checkKeys(fm, p, Set.of("name", "file", "environment", "content", "external", "driver", "template_driver",
                    "labels"));
            External ext = external(fm, p);
            String file = str(fm.get("file"), p + ".file");
            String environment = str(fm.get("environment"), p + ".environment");
            String content = str(fm.get("content"), p + ".content");
            if (ext.external) {
                throw error(fm.get("external"), p + ".external", "external " + section + " need a swarm; not supported");
            }
            int given = (file != null ? 1 : 0) + (environment != null ? 1 : 0) + (content != null ? 1 : 0);
            if (given != 1) {
                throw error(fm, p, "needs exactly one of file, environment or content");
            }
            String abs = null;
            if (file != null) {
                abs = ShortSyntax.hostPath(file, projectDir.toString(), home);
                if (!Files.exists(Path.of(abs))) {
                    throw error(fm.get("file"), p + ".file", "file " + abs + " not found");
                }
            }
            if (environment != null && !env.containsKey(environment)) {
                throw error(fm.get("environment"), p + ".environment", "environment variable " + environment + " is not set");
            }
            out.put(k, new FileObject(str(fm.get("name"), p + ".name"), abs, content, environment, false,
                    environment == null ? null : env.get(environment)));
        });
        return out;
    }

    private record External(boolean external, String name) {
    }

    /** {@code external: true}, or the old {@code external: {name: x}}. */
    private static External external(YMap m, String p) {
        YNode e = m.get("external");
        if (e == null) {
            return new External(false, null);
        }
        if (e instanceof YMap em) {
            checkKeys(em, p + ".external", Set.of("name"));
            return new External(true, str(em.get("name"), p + ".external.name"));
        }
        return new External(bool(e, p + ".external"), null);
    }

    private static Map<String, String> strMap(YNode n, String p) {
        Map<String, String> m = stringMap(n, p);
        m.replaceAll((k, v) -> v == null ? "" : v);
        return new TreeMap<>(m);
    }

    static boolean isNull(YNode n) {
        return n instanceof YScalar s && s.isNull();
    }
}
