package dev.wharf.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.base.id.Digest;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.event.EventMessage;
import dev.wharf.model.volume.Volume;
import dev.wharf.store.db.Database;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.EventTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.VolumeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local volume driver over a real database and data directory: what {@code /volumes} shows,
 * Docker's errors for bad names, options and volumes in use, and the events published. No root.
 */
class VolumeServiceTest {

    private static final String C1 = "c1" + "0".repeat(62);
    private static final String C2 = "c2" + "0".repeat(62);

    @TempDir
    Path dir;
    private Database db;
    private EventService events;
    private EventService.Subscription sub;
    private VolumeService volumes;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dir.resolve("wharf.db"));
        events = new EventService(new EventTable(db));
        sub = events.subscribe();
        volumes = new VolumeService(new VolumeTable(db), events, dir.resolve("data"), new dev.wharf.runtime.sys.FakeMounter());
        // two containers whose mounts reference volumes (the rows the container service writes)
        String image = "sha256:" + "1".repeat(64);
        new ImageTable(db).put(new ImageTable.ImageRow(Digest.parse(image), 0, 0, null, List.of(), List.of()), null, 0);
        ContainerTable containers = new ContainerTable(db);
        for (String c : List.of(C1, C2)) {
            containers.insert(new ContainerTable.ContainerRow(c, "/" + c.substring(0, 2), image, 0, "{}", "{}",
                    "created"));
        }
    }

    @AfterEach
    void tearDown() {
        sub.close();
        db.close();
    }

    /** The volume events published since the last call, as {@code action name}. */
    private List<String> events() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (EventMessage m = sub.next(0); m != null; m = sub.next(0)) {
            assertThat(m.type()).isEqualTo("volume");
            assertThat(m.actor().attributes()).containsEntry("driver", "local");
            out.add(m.action() + " " + m.actor().id());
        }
        return out;
    }

    private static Filters filters(String json) {
        return Filters.parse(json.replace('\'', '"'));
    }

    private Path data(String name) {
        return dir.resolve("data").resolve("volumes").resolve(name).resolve("_data");
    }

    @Test
    void create_returnsTheVolumeAsDockerShowsIt_makesItsDirectory_andPublishesCreate() throws Exception {
        Volume v = volumes.create("db-data", null, null, Map.of("tier", "db"));
        assertThat(v.name()).isEqualTo("db-data");
        assertThat(v.driver()).isEqualTo("local");
        assertThat(v.scope()).isEqualTo("local");
        assertThat(v.labels()).containsExactly(Map.entry("tier", "db"));
        assertThat(v.options()).isEmpty();
        assertThat(v.mountpoint()).isEqualTo(data("db-data").toString());
        assertThat(v.createdAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z");
        assertThat(v.usageData()).isNull();
        assertThat(data("db-data")).isEmptyDirectory();
        assertThat(events()).containsExactly("create db-data");

        // creating it again returns the same volume, as Docker does, and publishes nothing
        Volume again = volumes.create("db-data", "local", Map.of(), Map.of("other", "x"));
        assertThat(again.labels()).containsExactly(Map.entry("tier", "db"));
        assertThat(again.createdAt()).isEqualTo(v.createdAt());
        assertThat(events()).isEmpty();
    }

    @Test
    void create_withoutName_isAnonymous_withDockersLabel() throws Exception {
        Volume v = volumes.create("", null, null, null);
        assertThat(v.name()).matches("[0-9a-f]{64}");
        assertThat(v.labels()).containsExactly(Map.entry(VolumeService.ANONYMOUS_LABEL, ""));
        assertThat(events()).containsExactly("create " + v.name());
    }

    @Test
    void create_refusesBadNames_unknownDrivers_andBadOptions_andChangesNothing() throws Exception {
        assertThatThrownBy(() -> volumes.create("/host/dir", null, null, null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("create /host/dir: \"/host/dir\" includes invalid characters for a local volume name,"
                        + " only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory,"
                        + " use absolute path");
        // Docker's pattern needs two characters at least
        assertThatThrownBy(() -> volumes.create("x", null, null, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> volumes.create("vol", "nfs-plugin", null, null))
                .isInstanceOf(NotFoundException.class).hasMessage("plugin \"nfs-plugin\" not found");
        assertThatThrownBy(() -> volumes.create("vol", null, Map.of("color", "red"), null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("create vol: invalid option key: \"color\"");
        assertThatThrownBy(() -> volumes.create("vol", null, Map.of("type", "tmpfs"), null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("create vol: missing required option: \"type\" and \"device\" must both be set");
        assertThat(volumes.list(Filters.NONE)).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void create_withDriverOptions_keepsThem_andMountsNothingUntilFirstUse() {
        Volume v = volumes.create("scratch", "local", Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"),
                Map.of());
        assertThat(v.options()).containsOnly(Map.entry("type", "tmpfs"), Map.entry("device", "tmpfs"),
                Map.entry("o", "size=1m"));
        assertThat(volumes.inspect("scratch").options()).isEqualTo(v.options());
    }

    @Test
    void createAnonymous_makesAFreshLabelledVolumeEachTime() throws Exception {
        String a = volumes.createAnonymous();
        String b = volumes.createAnonymous();
        assertThat(a).matches("[0-9a-f]{64}").isNotEqualTo(b);
        assertThat(volumes.inspect(a).labels()).containsKey(VolumeService.ANONYMOUS_LABEL);
        assertThat(events()).containsExactly("create " + a, "create " + b);
    }

    @Test
    void ensureNamed_createsOnce_thenReturnsTheSameVolume() throws Exception {
        assertThat(volumes.ensureNamed("cache")).isEqualTo("cache");
        assertThat(volumes.ensureNamed("cache")).isEqualTo("cache");
        assertThat(volumes.inspect("cache").labels()).isEmpty();
        assertThat(events()).containsExactly("create cache");
        assertThatThrownBy(() -> volumes.ensureNamed("bad name")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void inspect_ofAMissingVolume_isDockersNotFound() {
        assertThatThrownBy(() -> volumes.inspect("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("get nope: no such volume");
    }

    @Test
    void list_filtersByName_label_driver_andDangling() {
        volumes.create("web-data", null, null, Map.of("app", "web"));
        volumes.create("db-data", null, null, Map.of("app", "db", "tier", "back"));
        volumes.create("logs", null, null, Map.of());
        volumes.addRefs(C1, List.of("db-data"));

        assertThat(names(Filters.NONE)).containsExactlyInAnyOrder("web-data", "db-data", "logs");
        assertThat(names(filters("{'name':['data']}"))).containsExactlyInAnyOrder("web-data", "db-data");
        assertThat(names(filters("{'name':['^db']}"))).containsExactly("db-data");
        assertThat(names(filters("{'label':['app']}"))).containsExactlyInAnyOrder("web-data", "db-data");
        assertThat(names(filters("{'label':['app=db']}"))).containsExactly("db-data");
        assertThat(names(filters("{'driver':['local']}"))).hasSize(3);
        assertThat(names(filters("{'driver':['other']}"))).isEmpty();
        assertThat(names(filters("{'dangling':['true']}"))).containsExactlyInAnyOrder("web-data", "logs");
        assertThat(names(filters("{'dangling':['false']}"))).containsExactly("db-data");
        assertThatThrownBy(() -> volumes.list(filters("{'color':['red']}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'color'");
    }

    private List<String> names(Filters f) {
        return volumes.list(f).stream().map(Volume::name).toList();
    }

    @Test
    void remove_deletesTheVolumeAndItsFiles_andPublishesDestroy() throws Exception {
        volumes.create("old", null, null, null);
        Files.writeString(data("old").resolve("f"), "x");
        events();
        volumes.remove("old", false);
        assertThat(names(Filters.NONE)).isEmpty();
        assertThat(dir.resolve("data/volumes/old")).doesNotExist();
        assertThat(events()).containsExactly("destroy old");
        assertThatThrownBy(() -> volumes.remove("old", true)).isInstanceOf(NotFoundException.class)
                .hasMessage("get old: no such volume");
    }

    @Test
    void remove_ofAVolumeInUse_isAConflictNamingTheContainers_andKeepsIt() throws Exception {
        volumes.create("shared", null, null, null);
        volumes.addRefs(C1, List.of("shared"));
        volumes.addRefs(C2, List.of("shared"));
        events();
        assertThatThrownBy(() -> volumes.remove("shared", true)).isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("remove shared: volume is in use - [")
                .hasMessageContaining(C1).hasMessageContaining(C2);
        assertThat(volumes.inspect("shared").name()).isEqualTo("shared");
        assertThat(data("shared")).isDirectory();
        assertThat(events()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void prune_removesUnusedAnonymousVolumes_orAllUnusedWithAll_reportingTheSpace() throws Exception {
        Volume anon = volumes.create(null, null, null, null);
        Files.write(data(anon.name()).resolve("blob"), new byte[1000]);
        volumes.create("named", null, null, Map.of("keep", "yes"));
        Files.write(data("named").resolve("blob"), new byte[300]);
        String usedAnon = volumes.createAnonymous();
        volumes.addRefs(C1, List.of(usedAnon));
        events();

        Map<String, Object> r = volumes.prune(Filters.NONE);
        assertThat((List<String>) r.get("VolumesDeleted")).containsExactly(anon.name());
        assertThat(r.get("SpaceReclaimed")).isEqualTo(1000L);
        assertThat(events()).containsExactly("destroy " + anon.name());

        assertThat((List<String>) volumes.prune(filters("{'all':['true'],'label!':['keep=yes']}"))
                .get("VolumesDeleted")).isEmpty();
        Map<String, Object> all = volumes.prune(filters("{'all':['true']}"));
        assertThat((List<String>) all.get("VolumesDeleted")).containsExactly("named");
        assertThat(all.get("SpaceReclaimed")).isEqualTo(300L);
        assertThat(names(Filters.NONE)).containsExactly(usedAnon);
        assertThatThrownBy(() -> volumes.prune(filters("{'dangling':['true']}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'dangling'");
    }

    @Test
    void removeAnonymousOf_removesOnlyAnonymousVolumesNoOtherContainerUses() throws Exception {
        String mine = volumes.createAnonymous();
        String shared = volumes.createAnonymous();
        volumes.create("named", null, null, null);
        volumes.addRefs(C1, List.of(mine, shared, "named"));
        volumes.addRefs(C2, List.of(shared));
        events();

        // as `docker rm -v` does it: the container's row (and its references) go first
        new ContainerTable(db).delete(new ContainerId(C1));
        volumes.removeAnonymousOf(C1, List.of(mine, shared, "named", "gone"));
        assertThat(names(Filters.NONE)).containsExactlyInAnyOrder(shared, "named");
        assertThat(events()).containsExactly("destroy " + mine);
    }

    @Test
    void addRefs_andVolumesOf_recordWhichVolumesAContainerUses() {
        volumes.create("va", null, null, null);
        volumes.create("vb", null, null, null);
        assertThat(volumes.volumesOf(C1)).isEmpty();
        volumes.addRefs(C1, List.of("va", "vb"));
        volumes.addRefs(C2, List.of("vb"));
        assertThat(volumes.volumesOf(C1)).containsExactlyInAnyOrder("va", "vb");
        assertThat(volumes.volumesOf(C2)).containsExactly("vb");
        assertThat(names(filters("{'dangling':['true']}"))).isEmpty();
    }

    @Test
    void mountpoint_isTheVolumesDataDirectory_andRecreatedIfMissing() throws Exception {
        volumes.create("v1", null, null, null);
        Files.delete(data("v1"));
        assertThat(volumes.mountpoint("v1")).isEqualTo(data("v1")).isDirectory();
        assertThatThrownBy(() -> volumes.mountpoint("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("get nope: no such volume");
    }

    @Test
    void populate_copiesTheImageContentIntoAnEmptyVolume_once() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image/etc/conf"));
        Files.writeString(image.resolve("app.conf"), "port=80\n");
        volumes.create("conf", null, null, null);

        volumes.populate("conf", image);
        assertThat(data("conf").resolve("app.conf")).hasContent("port=80");

        Files.writeString(image.resolve("later.conf"), "x");
        Files.delete(data("conf").resolve("app.conf"));
        volumes.populate("conf", image);
        assertThat(data("conf")).isEmptyDirectory();
        assertThatThrownBy(() -> volumes.populate("nope", image)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void populate_leavesAVolumeThatAlreadyHasFilesAlone() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image/data"));
        Files.writeString(image.resolve("seed"), "from image");
        volumes.create("keep", null, null, null);
        Files.writeString(data("keep").resolve("mine"), "mine");

        volumes.populate("keep", image);
        assertThat(data("keep").resolve("seed")).doesNotExist();
        assertThat(data("keep").resolve("mine")).hasContent("mine");
    }

    @Test
    void usage_givesEachVolumesSizeAndReferenceCount() throws Exception {
        volumes.create("big", null, null, null);
        Files.write(data("big").resolve("f"), new byte[4096]);
        volumes.create("idle", null, null, null);
        volumes.addRefs(C1, List.of("big"));
        volumes.addRefs(C2, List.of("big"));

        Map<String, Volume.UsageData> u = new java.util.HashMap<>();
        volumes.usage().forEach(v -> u.put(v.name(), v.usageData()));
        assertThat(u).containsOnly(Map.entry("big", new Volume.UsageData(4096, 2)),
                Map.entry("idle", new Volume.UsageData(0, 0)));
    }
}
