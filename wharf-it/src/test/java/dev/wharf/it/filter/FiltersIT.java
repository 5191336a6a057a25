package dev.wharf.it.filter;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every list filter Docker documents, per endpoint: objects are made on a real wharfd, then each
 * filter (a row of the table) must return exactly the ones Docker returns; a filter Docker does
 * not know, a bad value or malformed JSON is a 400 with Docker's message.
 */
@WharfIT
class FiltersIT {

    /** Runs each row {@code filters JSON → expected names}, looking only at the names in {@code ours}. */
    private static void table(Api api, String path, Function<JsonNode, List<String>> names, Set<String> ours,
            Map<String, List<String>> rows) {
        SoftAssertions soft = new SoftAssertions();
        rows.forEach((filters, expected) -> {
            Api.Response r = api.get(path + (path.contains("?") ? "&" : "?") + "filters=" + Api.q(filters));
            soft.assertThat(r.status()).as(filters + " -> " + r).isEqualTo(200);
            if (r.status() == 200) {
                soft.assertThat(names.apply(r.json()).stream().filter(ours::contains).toList()).as(filters)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        });
        soft.assertAll();
    }

    private static void refused(Api api, String path, Map<String, String> rows) {
        SoftAssertions soft = new SoftAssertions();
        rows.forEach((filters, message) -> {
            Api.Response r = api.get(path + (path.contains("?") ? "&" : "?") + "filters=" + Api.q(filters));
            soft.assertThat(r.status()).as(filters + " -> " + r).isEqualTo(400);
            soft.assertThat(r.message()).as(filters).startsWith(message);
        });
        soft.assertAll();
    }

    private static List<String> containerNames(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.path("Names").path(0).asText().substring(1)));
        return out;
    }

    @Test
    void containers(Api api, DockerCli docker, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String web = Names.unique("fweb");
        String job = Names.unique("fjob");
        String fresh = Names.unique("ffresh");
        String net = Names.unique("fnet");
        String vol = Names.unique("fvol");
        int port = freePort();
        try {
            docker.ok("network", "create", net);
            String netId = docker.ok("network", "inspect", "-f", "{{.Id}}", net).out();
            String webId = docker.ok("run", "-d", "--name", web, "--label", "tier=front", "--network", net,
                    "-p", "127.0.0.1:" + port + ":80", "-v", vol + ":/data", BUSYBOX, "sleep", "60").out();
            assertThat(docker.run("run", "--name", job, "-v", dir + ":/mnt", BUSYBOX, "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
            docker.ok("create", "--name", fresh, "--expose", "53/udp", BUSYBOX, "true");
            String jobId = docker.ok("inspect", "-f", "{{.Id}}", job).out();
            Set<String> ours = Set.of(web, job, fresh);
            Map<String, List<String>> rows = new LinkedHashMap<>();
            rows.put("{\"id\":[\"" + jobId.substring(0, 12) + "\"]}", List.of(job));
            rows.put("{\"name\":[\"^/" + web + "$\"]}", List.of(web));
            rows.put("{\"name\":[\"" + job + "\"]}", List.of(job));
            rows.put("{\"label\":[\"tier=front\"]}", List.of(web));
            rows.put("{\"label\":[\"tier\"]}", List.of(web));
            rows.put("{\"exited\":[\"3\"]}", List.of(job));
            rows.put("{\"exited\":[\"0\"]}", List.of());
            rows.put("{\"status\":[\"created\"]}", List.of(fresh));
            rows.put("{\"status\":[\"running\",\"exited\"]}", List.of(web, job));
            rows.put("{\"ancestor\":[\"" + BUSYBOX + "\"]}", List.of(web, job, fresh));
            rows.put("{\"ancestor\":[\"no-such-image:1\"]}", List.of());
            rows.put("{\"before\":[\"" + fresh + "\"]}", List.of(web, job));
            rows.put("{\"since\":[\"" + web + "\"]}", List.of(job, fresh));
            rows.put("{\"volume\":[\"" + vol + "\"]}", List.of(web));
            rows.put("{\"volume\":[\"/data\"]}", List.of(web));
            rows.put("{\"volume\":[\"/mnt\"]}", List.of(job));
            rows.put("{\"volume\":[\"" + dir + "\"]}", List.of(job));
            rows.put("{\"volume\":[\"nosuchvolume\"]}", List.of());
            rows.put("{\"network\":[\"" + net + "\"]}", List.of(web));
            rows.put("{\"network\":[\"" + netId.substring(0, 12) + "\"]}", List.of(web));
            rows.put("{\"network\":[\"bridge\"]}", List.of(job, fresh));
            rows.put("{\"publish\":[\"" + port + "\"]}", List.of(web));
            rows.put("{\"publish\":[\"" + port + "/tcp\"]}", List.of(web));
            rows.put("{\"publish\":[\"" + port + "/udp\"]}", List.of());
            rows.put("{\"publish\":[\"" + (port - 1) + "-" + (port + 1) + "\"]}", List.of(web));
            rows.put("{\"publish\":[\"80\"]}", List.of());
            rows.put("{\"expose\":[\"80\"]}", List.of(web));
            rows.put("{\"expose\":[\"53/udp\"]}", List.of(fresh));
            rows.put("{\"expose\":[\"" + port + "\"]}", List.of());
            rows.put("{\"health\":[\"none\"]}", List.of(web, job, fresh));
            rows.put("{\"health\":[\"healthy\"]}", List.of());
            rows.put("{\"isolation\":[\"default\"]}", List.of(web, job, fresh));
            rows.put("{\"isolation\":[\"hyperv\"]}", List.of());
            rows.put("{\"is-task\":[\"true\"]}", List.of());
            rows.put("{\"is-task\":[\"false\"]}", List.of(web, job, fresh));
            table(api, "/containers/json?all=1", FiltersIT::containerNames, ours, rows);
            // without all, stopped containers stay hidden unless a status is asked for
            table(api, "/containers/json", FiltersIT::containerNames, ours, Map.of(
                    "{\"exited\":[\"3\"]}", List.of(), "{\"status\":[\"exited\"]}", List.of(job)));

            refused(api, "/containers/json", Map.of(
                    "{\"bogus\":[\"x\"]}", "invalid filter 'bogus'",
                    "{\"status\":[\"sleeping\"]}", "invalid filter 'status=sleeping'",
                    "{\"is-task\":[\"maybe\"]}", "invalid filter 'is-task=[maybe]'",
                    "{\"health\":[\"sick\"]}", "Unrecognised filter value for health: sick",
                    "{\"publish\":[\"80:80\"]}", "filter for 'publish' should not contain ':': 80:80",
                    "{\"expose\":[\"http\"]}", "error while looking up for expose http",
                    "{\"name\":\"" + web + "\"}", "invalid filter",
                    "{\"name\":", "invalid filter"));

            // what the issue saw: rm -f $(ps -aq --filter publish=PORT) must only remove that one
            assertThat(docker.ok("ps", "-aq", "--no-trunc", "--filter", "publish=" + port).lines())
                    .containsExactly(webId);
            assertThat(docker.ok("ps", "-aq", "--filter", "volume=" + vol, "--filter", "expose=80").lines())
                    .containsExactly(webId.substring(0, 12));
        } finally {
            docker.run("rm", "-f", web, job, fresh);
            docker.run("network", "rm", net);
            docker.run("volume", "rm", vol);
        }
    }

    @Test
    void images(Api api, DockerCli docker) throws IOException {
        String repo = Names.unique("filt");
        String old = repo + "/old:1";
        String mid = repo + "/mid:1";
        String neu = repo + "/new:1";
        String dangler = repo + "/dangle:1";
        try {
            String oldId = load(api, "2020-01-01T00:00:00Z", Map.of("tier", "base"), old);
            String midId = load(api, "2021-01-01T00:00:00Z", Map.of("tier", "mid", "extra", "1"), mid);
            String newId = load(api, "2022-01-01T00:00:00Z", Map.of(), neu);
            String danglingId = load(api, "2019-06-01T00:00:00Z", Map.of(), dangler);
            load(api, "2019-07-01T00:00:00Z", Map.of(), dangler); // takes the tag: the first one dangles
            Set<String> ours = Set.of(oldId, midId, newId, danglingId);
            Function<JsonNode, List<String>> ids = list -> {
                List<String> out = new ArrayList<>();
                list.forEach(i -> out.add(i.path("Id").asText()));
                return out;
            };
            Map<String, List<String>> rows = new LinkedHashMap<>();
            rows.put("{}", List.of(oldId, midId, newId, danglingId));
            rows.put("{\"dangling\":[\"true\"]}", List.of(danglingId));
            rows.put("{\"dangling\":[\"1\"]}", List.of(danglingId));
            rows.put("{\"dangling\":[\"false\"]}", List.of(oldId, midId, newId));
            rows.put("{\"label\":[\"tier\"]}", List.of(oldId, midId));
            rows.put("{\"label\":[\"tier=mid\"]}", List.of(midId));
            rows.put("{\"label\":[\"tier=mid\",\"extra=1\"]}", List.of(midId));
            rows.put("{\"label\":[\"tier=base\",\"extra=1\"]}", List.of());
            rows.put("{\"before\":[\"" + mid + "\"]}", List.of(oldId, danglingId));
            rows.put("{\"since\":[\"" + mid + "\"]}", List.of(newId));
            rows.put("{\"since\":[\"" + old + "\"],\"before\":[\"" + neu + "\"]}", List.of(midId));
            rows.put("{\"until\":[\"2020-06-01T00:00:00Z\"]}", List.of(oldId, danglingId));
            rows.put("{\"until\":[\"1590969600\"]}", List.of(oldId, danglingId));
            rows.put("{\"reference\":[\"" + repo + "/mid\"]}", List.of(midId));
            rows.put("{\"reference\":[\"" + repo + "/*:1\"]}", List.of(oldId, midId, newId));
            rows.put("{\"reference\":[\"" + repo + "/n*\"]}", List.of(newId));
            rows.put("{\"reference\":[\"" + repo + "/old:2\"]}", List.of());
            table(api, "/images/json", ids, ours, rows);
            refused(api, "/images/json", Map.of(
                    "{\"bogus\":[\"x\"]}", "invalid filter 'bogus'",
                    "{\"dangling\":[\"maybe\"]}", "invalid filter 'dangling=[maybe]'",
                    "{\"label\":\"x\"}", "invalid filter",
                    "{\"until\":[\"yesterday\"]}", "invalid timestamp"));
            assertThat(docker.ok("images", "-q", "--no-trunc", "--filter", "reference=" + repo + "/mid").lines())
                    .containsExactly(midId);
        } finally {
            docker.run("rmi", "-f", old, mid, neu, dangler);
        }
    }

    @Test
    void networks(Api api, DockerCli docker) {
        String used = Names.unique("fnused");
        String idle = Names.unique("fnidle");
        String c = Names.unique("fnc");
        try {
            String usedId = docker.ok("network", "create", "--label", "team=a", used).out();
            docker.ok("network", "create", "--label", "team=b", "--driver", "bridge", idle);
            docker.ok("create", "--name", c, "--network", used, BUSYBOX, "true");
            Set<String> ours = Set.of(used, idle, "bridge", "host", "none");
            Function<JsonNode, List<String>> names = list -> {
                List<String> out = new ArrayList<>();
                list.forEach(n -> out.add(n.path("Name").asText()));
                return out;
            };
            Map<String, List<String>> rows = new LinkedHashMap<>();
            rows.put("{\"dangling\":[\"true\"]}", List.of(idle));
            rows.put("{\"dangling\":[\"0\"]}", List.of(used, "bridge", "host", "none"));
            rows.put("{\"driver\":[\"bridge\"]}", List.of(used, idle, "bridge"));
            rows.put("{\"driver\":[\"null\"]}", List.of("none"));
            rows.put("{\"id\":[\"" + usedId.substring(0, 10) + "\"]}", List.of(used));
            rows.put("{\"label\":[\"team\"]}", List.of(used, idle));
            rows.put("{\"label\":[\"team=b\"]}", List.of(idle));
            rows.put("{\"name\":[\"^" + used + "$\"]}", List.of(used));
            rows.put("{\"name\":[\"^(host|none)$\"]}", List.of("host", "none"));
            rows.put("{\"scope\":[\"local\"]}", List.of(used, idle, "bridge", "host", "none"));
            rows.put("{\"scope\":[\"swarm\"]}", List.of());
            rows.put("{\"type\":[\"custom\"]}", List.of(used, idle));
            rows.put("{\"type\":[\"builtin\"]}", List.of("bridge", "host", "none"));
            rows.put("{\"type\":[\"builtin\",\"custom\"]}", List.of(used, idle, "bridge", "host", "none"));
            table(api, "/networks", names, ours, rows);
            refused(api, "/networks", Map.of(
                    "{\"bogus\":[\"x\"]}", "invalid filter 'bogus'",
                    "{\"type\":[\"other\"]}", "invalid filter: 'type'='other'",
                    "{\"dangling\":[\"maybe\"]}", "invalid value for filter 'dangling'",
                    "[\"x\"]", "invalid filter"));
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", used, idle);
        }
    }

    @Test
    void volumes(Api api, DockerCli docker) {
        String used = Names.unique("fvused");
        String idle = Names.unique("fvidle");
        String c = Names.unique("fvc");
        try {
            docker.ok("volume", "create", "--label", "keep=yes", used);
            docker.ok("volume", "create", "--label", "keep=no", idle);
            docker.ok("create", "--name", c, "-v", used + ":/v", BUSYBOX, "true");
            Set<String> ours = Set.of(used, idle);
            Function<JsonNode, List<String>> names = body -> {
                List<String> out = new ArrayList<>();
                body.path("Volumes").forEach(v -> out.add(v.path("Name").asText()));
                return out;
            };
            Map<String, List<String>> rows = new LinkedHashMap<>();
            rows.put("{\"dangling\":[\"true\"]}", List.of(idle));
            rows.put("{\"dangling\":[\"false\"]}", List.of(used));
            rows.put("{\"driver\":[\"local\"]}", List.of(used, idle));
            rows.put("{\"driver\":[\"nfs\"]}", List.of());
            rows.put("{\"label\":[\"keep\"]}", List.of(used, idle));
            rows.put("{\"label\":[\"keep=no\"]}", List.of(idle));
            rows.put("{\"name\":[\"^" + used + "$\"]}", List.of(used));
            rows.put("{\"name\":[\"fv\"]}", List.of(used, idle));
            table(api, "/volumes", names, ours, rows);
            refused(api, "/volumes", Map.of(
                    "{\"bogus\":[\"x\"]}", "invalid filter 'bogus'",
                    "{\"dangling\":[\"maybe\"]}", "invalid filter 'dangling=[maybe]'",
                    "{\"name\":{\"x\":1}}", "invalid filter"));
        } finally {
            docker.run("rm", "-f", c);
            docker.run("volume", "rm", used, idle);
        }
    }

    @Test
    void events(Api api, DockerCli docker) {
        String c = Names.unique("fec");
        String net = Names.unique("fen");
        String vol = Names.unique("fev");
        long since = System.currentTimeMillis() / 1000 - 1;
        try {
            docker.ok("network", "create", net);
            docker.ok("volume", "create", vol);
            docker.ok("create", "--name", c, "--label", "role=probe", "--network", net, "-v", vol + ":/v", BUSYBOX,
                    "true");
            docker.ok("rm", c);
            docker.ok("network", "rm", net);
            docker.ok("volume", "rm", vol);
            long until = System.currentTimeMillis() / 1000 + 1;
            Set<String> ours = Set.of("container:create", "container:destroy", "network:create",
                    "network:destroy", "volume:create", "volume:destroy");
            String window = "/events?since=" + since + "&until=" + until;
            Function<JsonNode, List<String>> actions = ignored -> List.of();
            Map<String, List<String>> rows = new LinkedHashMap<>();
            rows.put("{\"type\":[\"network\"]}", List.of("network:create", "network:destroy"));
            rows.put("{\"event\":[\"destroy\"]}", List.of("container:destroy", "network:destroy", "volume:destroy"));
            rows.put("{\"container\":[\"" + c + "\"]}", List.of("container:create", "container:destroy"));
            rows.put("{\"network\":[\"" + net + "\"]}", List.of("network:create", "network:destroy"));
            rows.put("{\"volume\":[\"" + vol + "\"]}", List.of("volume:create", "volume:destroy"));
            rows.put("{\"image\":[\"" + BUSYBOX + "\"]}", List.of("container:create", "container:destroy"));
            rows.put("{\"label\":[\"role=probe\"]}", List.of("container:create", "container:destroy"));
            rows.put("{\"scope\":[\"local\"],\"type\":[\"volume\"]}", List.of("volume:create", "volume:destroy"));
            rows.put("{\"scope\":[\"swarm\"]}", List.of());
            for (String swarmOrPlugin : List.of("daemon", "plugin", "node", "service", "secret", "config")) {
                rows.put("{\"" + swarmOrPlugin + "\":[\"x\"]}", List.of());
            }
            SoftAssertions soft = new SoftAssertions();
            rows.forEach((filters, expected) -> {
                Api.Response r = api.send("GET", window + "&filters=" + Api.q(filters), Map.of(), null,
                        Duration.ofSeconds(20));
                soft.assertThat(r.status()).as(filters + " -> " + r).isEqualTo(200);
                List<String> seen = new ArrayList<>();
                for (String line : r.text().split("\n")) {
                    if (!line.isBlank()) {
                        JsonNode e = readTree(line);
                        String key = e.path("Type").asText() + ":" + e.path("Action").asText();
                        String who = e.path("Actor").path("Attributes").path("name").asText(e.path("Actor").path("ID").asText());
                        if (ours.contains(key) && Set.of(c, net, vol).contains(who)) {
                            seen.add(key);
                        }
                    }
                }
                soft.assertThat(seen).as(filters).containsExactlyInAnyOrderElementsOf(expected);
            });
            soft.assertAll();
            refused(api, window, Map.of("{\"bogus\":[\"x\"]}", "invalid filter 'bogus'", "{\"type\":", "invalid filter"));
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", net);
            docker.run("volume", "rm", vol);
        }
    }

    // ---- helpers ----

    private static JsonNode readTree(String line) {
        try {
            return Api.JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Loads a one-file image whose config has the given creation time and labels; returns its ID. */
    private static String load(Api api, String created, Map<String, String> labels, String ref) throws IOException {
        byte[] layer = tar(Map.of("f-" + created, created.getBytes(StandardCharsets.UTF_8)));
        String diffId = sha256(layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created + "\","
                + "\"config\":{\"Cmd\":[\"sh\"],\"Labels\":" + Api.JSON.writeValueAsString(labels) + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
        String cfgName = sha256(cfg).substring(7) + ".json";
        String manifest = "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"" + ref + "\"],\"Layers\":[\"l/layer.tar\"]}]";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("l/layer.tar", layer);
        files.put(cfgName, cfg);
        files.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        Api.Response r = api.send("POST", "/images/load?quiet=1", Map.of("Content-Type", "application/x-tar"),
                tarBytes(files), Duration.ofSeconds(60));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).as(r.toString()).doesNotContain("\"error");
        return "sha256:" + sha256(cfg).substring(7);
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        return tarBytes(files);
    }

    private static byte[] tarBytes(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                t.putArchiveEntry(entry);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
