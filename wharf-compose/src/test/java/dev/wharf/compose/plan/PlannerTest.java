package dev.wharf.compose.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.compose.load.ProjectLoader;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    @TempDir
    Path dir;
    Project project;

    @BeforeEach
    void load() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: p
                services:
                  web: {image: web, depends_on: [api]}
                  api: {image: api, deploy: {replicas: 3}}
                  db: {image: db}
                """);
        project = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
    }

    private ObservedContainer c(String service, int n, String hash, String state) {
        return ObservedContainer.of("id-" + service + n + "-" + hash, "p-" + service + "-" + n, state, Map.of(
                Labels.PROJECT, "p", Labels.SERVICE, service, Labels.CONTAINER_NUMBER, Integer.toString(n),
                Labels.CONFIG_HASH, hash, Labels.ONEOFF, "False"));
    }

    private String hash(String service) {
        return ConfigHash.of(project.service(service));
    }

    private Plan.ServicePlan of(Plan plan, String service) {
        return plan.services().stream().filter(s -> s.service().name().equals(service)).findFirst().orElseThrow();
    }

    @Test
    void freshProject_createsEveryReplica_inDependencyOrder() {
        Plan plan = Planner.plan(project, List.of(), Planner.Options.defaults());
        assertThat(plan.services()).extracting(s -> s.service().name()).containsExactly("api", "db", "web");
        assertThat(of(plan, "api").steps()).containsExactly(new Plan.Step.Create(1), new Plan.Step.Create(2),
                new Plan.Step.Create(3));
        assertThat(of(plan, "api").rolling()).isFalse();
    }

    @Test
    void unchangedRunningReplicas_areKept_stoppedOnesStarted() {
        List<ObservedContainer> observed = List.of(c("web", 1, hash("web"), "running"), c("db", 1, hash("db"), "exited"));
        Plan plan = Planner.plan(project, observed, new Planner.Options(List.of("web", "db"), Map.of(), false, false,
                true, Map.of()));
        assertThat(of(plan, "web").steps()).containsExactly(new Plan.Step.Keep(observed.get(0)));
        assertThat(of(plan, "db").steps()).containsExactly(new Plan.Step.Start(observed.get(1)));
        assertThat(of(plan, "web").changes()).isFalse();
    }

    @Test
    void changedConfigOrImage_recreates_singleReplicaAllAtOnce_scaledOneRolling() {
        ObservedContainer web = c("web", 1, "old", "running");
        ObservedContainer db = c("db", 1, hash("db"), "running");
        List<ObservedContainer> api = List.of(c("api", 1, hash("api"), "running"), c("api", 2, hash("api"), "running"),
                c("api", 3, hash("api"), "running"));
        List<ObservedContainer> all = new java.util.ArrayList<>(api);
        all.add(web);
        all.add(db);
        Plan plan = Planner.plan(project, all.stream().map(x -> ObservedContainer.of(x.id(), x.name(), x.state(),
                withImage(x, x.service().equals("api") ? "sha256:old" : "sha256:same"))).toList(),
                new Planner.Options(List.of(), Map.of(), false, false, false, Map.of("api", "sha256:new", "db",
                        "sha256:same", "web", "sha256:same")));
        assertThat(of(plan, "web").steps()).hasSize(1).first().isInstanceOf(Plan.Step.Recreate.class);
        assertThat(of(plan, "web").rolling()).isFalse();
        assertThat(of(plan, "db").steps()).hasSize(1).first().isInstanceOf(Plan.Step.Keep.class);
        assertThat(of(plan, "api").steps()).hasSize(3).allMatch(s -> s instanceof Plan.Step.Recreate);
        assertThat(of(plan, "api").rolling()).isTrue();
    }

    private static Map<String, String> withImage(ObservedContainer x, String image) {
        Map<String, String> l = new java.util.HashMap<>(x.labels());
        l.put(Labels.IMAGE, image);
        return l;
    }

    @Test
    void scaleDown_removesHighestNumbersFirst_scaleUp_fillsLowestFreeNumbers() {
        String h = hash("api");
        List<ObservedContainer> api = List.of(c("api", 1, h, "running"), c("api", 2, h, "running"),
                c("api", 4, h, "running"));
        Plan down = Planner.plan(project, api, new Planner.Options(List.of("api"), Map.of("api", 1), false, false,
                false, Map.of()));
        assertThat(of(down, "api").steps()).containsExactly(new Plan.Step.Remove(api.get(2)),
                new Plan.Step.Remove(api.get(1)), new Plan.Step.Keep(api.get(0)));
        Plan up = Planner.plan(project, api, new Planner.Options(List.of("api"), Map.of("api", 5), false, false, false,
                Map.of()));
        assertThat(of(up, "api").steps()).containsExactly(new Plan.Step.Keep(api.get(0)), new Plan.Step.Keep(api.get(1)),
                new Plan.Step.Keep(api.get(2)), new Plan.Step.Create(3), new Plan.Step.Create(5));
    }

    @Test
    void forceRecreate_noDeps_orphans_andOneOffsIgnored() {
        ObservedContainer gone = c("old", 1, "x", "running");
        ObservedContainer oneoff = ObservedContainer.of("run1", "p-web-run-1", "running", Map.of(Labels.SERVICE, "web",
                Labels.ONEOFF, "True"));
        ObservedContainer web = c("web", 1, hash("web"), "running");
        Plan plan = Planner.plan(project, List.of(gone, oneoff, web), new Planner.Options(List.of("web"), Map.of(), true,
                false, true, Map.of()));
        assertThat(plan.services()).extracting(s -> s.service().name()).containsExactly("web");
        assertThat(of(plan, "web").steps()).containsExactly(new Plan.Step.Recreate(web));
        assertThat(plan.orphans()).containsExactly(gone);
    }

    @Test
    void configHash_ignoresReplicasAndDependencies_butNotTheCommand() throws IOException {
        String before = hash("api");
        Files.writeString(dir.resolve("compose.yaml"), """
                name: p
                services:
                  web: {image: web}
                  api: {image: api, deploy: {replicas: 5}, depends_on: [db]}
                  db: {image: db}
                """);
        project = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
        assertThat(hash("api")).isEqualTo(before).hasSize(64);
        Files.writeString(dir.resolve("compose.yaml"), "name: p\nservices:\n  api: {image: api, command: [x]}\n");
        project = ProjectLoader.load(ProjectLoader.Options.in(dir, Map.of()));
        assertThat(hash("api")).isNotEqualTo(before);
    }
}
