package dev.wharf.cli.command.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.cli.FlagParser;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsCommandTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L + 125);
    private static final String ID1 = "3f4e8a1b2c3d" + "0".repeat(52);
    private static final String ID2 = "9a8b7c6d5e4f" + "1".repeat(52);

    private static List<ContainerSummary> containers() throws Exception {
        return Json.mapper().readValue("""
                [{"Id":"%s","Names":["/web"],"Image":"busybox","Command":"sh -c 'sleep 1000; echo done'",
                  "Created":1700000000,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                  {"PrivatePort":443,"Type":"tcp"}],"Labels":{"b":"2","a":"1"},"State":"running","Status":"Up 2 minutes"},
                 {"Id":"%s","Names":["/db"],"Image":"sha256:%s","Command":"true",
                  "Created":1700000060,"Ports":[],"Labels":{},"State":"exited","Status":"Exited (0) 3 seconds ago"}]
                """.formatted(ID1, ID2, "c".repeat(64)), new TypeReference<List<ContainerSummary>>() { });
    }

    private static String render(String... args) throws Exception {
        PsCommand ps = new PsCommand();
        FlagParser.parse(ps, args, false);
        return ps.render(containers(), NOW);
    }

    @Test
    void render_defaultTableLikeDocker() throws Exception {
        assertThat(render()).isEqualTo(
                "CONTAINER ID   IMAGE          COMMAND                  CREATED              STATUS                     "
                + "PORTS                           NAMES\n"
                + "3f4e8a1b2c3d   busybox        \"sh -c 'sleep 1000; …\"   2 minutes ago        Up 2 minutes               "
                + "0.0.0.0:8080->80/tcp, 443/tcp   web\n"
                + "9a8b7c6d5e4f   cccccccccccc   \"true\"                   About a minute ago   Exited (0) 3 seconds ago   "
                + "                                db\n");
    }

    @Test
    void render_quietPrintsShortIds() throws Exception {
        assertThat(render("-q")).isEqualTo("3f4e8a1b2c3d\n9a8b7c6d5e4f\n");
        assertThat(render("-q", "--no-trunc")).isEqualTo(ID1 + "\n" + ID2 + "\n");
    }

    @Test
    void render_customTableFormat() throws Exception {
        assertThat(render("--format", "table {{.ID}}\\t{{.Names}}\\t{{.State}}")).isEqualTo(
                "CONTAINER ID   NAMES     STATE\n"
                + "3f4e8a1b2c3d   web       running\n"
                + "9a8b7c6d5e4f   db        exited\n");
    }

    @Test
    void render_plainTemplateIsNotAligned() throws Exception {
        assertThat(render("--format", "{{.Names}}\t{{.Labels}}")).isEqualTo("web\ta=1,b=2\ndb\t\n");
    }

    @Test
    void render_jsonHasDockerKeysSorted() throws Exception {
        String first = render("--format", "json").split("\n")[0];
        assertThat(first).startsWith("{\"Command\":\"\\\"sh -c 'sleep 1000; …\\\"\",\"CreatedAt\":")
                .contains("\"ID\":\"3f4e8a1b2c3d\"", "\"Names\":\"web\"", "\"RunningFor\":\"2 minutes ago\"",
                        "\"State\":\"running\"", "\"Status\":\"Up 2 minutes\"");
        assertThat(render("--format", "{{json .}}").split("\n")[0]).isEqualTo(first);
    }

    @Test
    void render_noTruncKeepsFullCommandAndImage() throws Exception {
        String out = render("--no-trunc", "--format", "{{.Command}} {{.Image}}");
        assertThat(out).isEqualTo("\"sh -c 'sleep 1000; echo done'\" busybox\n\"true\" sha256:" + "c".repeat(64) + "\n");
    }
}
