package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.base.error.WharfException;
import dev.wharf.engine.common.Filters;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.image.DeleteItem;
import dev.wharf.model.image.HistoryItem;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.model.image.ImagePruneResponse;
import dev.wharf.model.image.ImageSummary;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.auth.Credentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
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
 * The image service over a real database, blob store and layer store in a temporary directory:
 * images are imported from small layer tars made here, and each public method is checked for
 * what {@code /images/...} shows, Docker's error messages and the image events. No root (layer
 * ownership is kept only as root), no registry: pull, push and login are checked for their
 * errors against a closed local port.
 */
class ImageServiceTest {

    @TempDir
    Path dir;
    private ImageStoreFixture f;
    private ImageService images;

    @BeforeEach
    void setUp() throws Exception {
        f = new ImageStoreFixture(dir);
        images = f.images;
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private String importTar(byte[] tar, String repo, String tag, List<String> changes) throws Exception {
        return images.importImage(new ByteArrayInputStream(tar), repo, tag, changes, null, m -> { }).toString();
    }

    @Test
    void importImage_registersOneLayer_reportsTheId_andPublishesImport() throws Exception {
        List<ProgressMessage> progress = new ArrayList<>();
        byte[] tar = LayerTars.of(Map.of("etc/motd", "hello\n", "bin/app", "#!/bin/sh\n"));
        String id = images.importImage(new ByteArrayInputStream(tar), "app", "v1", List.of("CMD [\"/bin/app\"]",
                "ENV MODE=prod"), "from a tarball", progress::add).toString();

        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(progress).containsExactly(ProgressMessage.status(id));
        assertThat(f.events()).containsExactly("import " + id + " app:v1");
        ImageInspect i = images.inspect("app:v1", false);
        assertThat(i.id()).isEqualTo(id);
        assertThat(i.repoTags()).containsExactly("app:v1");
        assertThat(i.comment()).isEqualTo("from a tarball");
        assertThat(i.config().cmd()).containsExactly("/bin/app");
        assertThat(i.config().env()).containsExactly("MODE=prod");
        assertThat(i.rootFs().layers()).containsExactly(LayerTars.diffId(tar));
        assertThat(i.size()).isEqualTo(i.virtualSize())
                .isEqualTo(images.layerSize(images.resolve(id).chainIds().getFirst())).isPositive();
        Path layerDir = f.layers.diffDir(images.resolve(id).chainIds().getFirst());
        assertThat(layerDir.resolve("etc/motd")).hasContent("hello");

        String untagged = importTar(LayerTars.of(Map.of("x", "1")), null, null, List.of());
        assertThat(images.tagsOf(Digest.parse(untagged))).isEmpty();
        assertThat(f.events()).containsExactly("import " + untagged + " " + untagged);
    }

    @Test
    void importImage_withABadReference_orBadChange_isRefused_andStoresNothing() {
        assertThatThrownBy(() -> importTar(LayerTars.of(Map.of("a", "1")), "Bad", null, List.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid reference format: repository name (");
        assertThatThrownBy(() -> importTar(LayerTars.of(Map.of("a", "1")), "ok", null, List.of("FROM x")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(images.count()).isZero();
    }

    @Test
    void resolve_findsByTag_fullId_shortId_andPrefix_elseDockersNotFound() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "web", null, List.of("CMD [\"run\"]"));
        String hex = id.substring(7);
        for (String name : List.of("web", "web:latest", "docker.io/library/web:latest", id, hex,
                hex.substring(0, 12), hex.substring(0, 4))) {
            ImageService.Resolved r = images.resolve(name);
            assertThat(r.id()).as(name).isEqualTo(Digest.parse(id));
            assertThat(r.config().config().cmd()).containsExactly("run");
            assertThat(r.chainIds()).hasSize(1);
        }
        assertThat(images.resolve(Digest.parse(id))).isEqualTo(images.resolve("web"));
        assertThatThrownBy(() -> images.resolve(Digest.parse("sha256:" + "0".repeat(64))))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> images.resolve("web:2")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: web:2");
        assertThatThrownBy(() -> images.resolve("sha256:" + "f".repeat(64))).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: sha256:" + "f".repeat(64));
    }

    @Test
    void findId_isEmptyForUnknownNames_andAmbiguousPrefixes() throws Exception {
        String a = importTar(LayerTars.of(Map.of("a", "1")), "one", null, List.of());
        String b = importTar(LayerTars.of(Map.of("b", "2")), "two", null, List.of());
        assertThat(images.findId("one")).contains(Digest.parse(a));
        assertThat(images.findId("two:latest")).contains(Digest.parse(b));
        assertThat(images.findId("three")).isEmpty();
        assertThat(images.findId("")).isEmpty();
        assertThat(images.findId(null)).isEmpty();
        assertThat(images.findId("one@sha256:" + "0".repeat(64))).isEmpty();
        String common = commonPrefix(a.substring(7), b.substring(7));
        assertThat(images.findId(common)).isEmpty(); // "" or a prefix both share
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }

    @Test
    void config_isTheStoredImageConfig() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "cfg", null, List.of("WORKDIR /srv", "USER 1000"));
        ImageConfig c = images.config(Digest.parse(id));
        assertThat(c.architecture()).isEqualTo("amd64");
        assertThat(c.os()).isEqualTo("linux");
        assertThat(c.config().workingDir()).isEqualTo("/srv");
        assertThat(c.config().user()).isEqualTo("1000");
        assertThat(c.history()).singleElement().satisfies(h -> assertThat(h.comment()).isEqualTo("Imported from -"));
        assertThatThrownBy(() -> images.config(Digest.parse("sha256:" + "e".repeat(64))))
                .isInstanceOf(WharfException.class).hasMessageContaining("image config blob missing");
    }

    @Test
    void tag_addsAReference_publishesTag_andRefusesBadNames() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "src", null, List.of());
        f.events();
        images.tag("src", "registry.local:5000/team/app", "1.0");
        images.tag(id.substring(7, 19), "other", null);
        assertThat(images.tagsOf(Digest.parse(id))).containsExactlyInAnyOrder("src:latest", "registry.local:5000/team/app:1.0",
                "other:latest");
        assertThat(f.events()).containsExactly("tag " + id + " registry.local:5000/team/app:1.0",
                "tag " + id + " other:latest");

        assertThatThrownBy(() -> images.tag("src", "", "x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("repository name must have at least one component");
        assertThatThrownBy(() -> images.tag("src", "UPPER", null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid reference format: repository name (");
        assertThatThrownBy(() -> images.tag("src", "ok", "bad tag")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid tag format");
        assertThatThrownBy(() -> images.tag("missing", "ok", null)).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: missing");
        assertThat(images.tagsOf(Digest.parse(id))).hasSize(3);
        assertThat(f.events()).isEmpty();
    }

    @Test
    void tagsOf_anUnknownImage_isEmpty() {
        assertThat(images.tagsOf(Digest.parse("sha256:" + "a".repeat(64)))).isEmpty();
    }

    @Test
    void list_showsTaggedImages_andFiltersAsDockerDoes() throws Exception {
        String web = importTar(LayerTars.of(Map.of("w", "1")), "web", "1", List.of("LABEL tier=front"));
        String db = importTar(LayerTars.of(Map.of("d", "2")), "db", "1", List.of("LABEL tier=back"));
        String none = importTar(LayerTars.of(Map.of("n", "3")), null, null, List.of());

        List<ImageSummary> all = images.list(false, Filters.NONE, false);
        assertThat(all).extracting(ImageSummary::id).containsExactlyInAnyOrder(web, db, none);
        ImageSummary w = all.stream().filter(s -> s.id().equals(web)).findFirst().orElseThrow();
        assertThat(w.repoTags()).containsExactly("web:1");
        assertThat(w.labels()).containsExactly(Map.entry("tier", "front"));
        assertThat(w.containers()).isZero();
        assertThat(w.parentId()).isEmpty();
        assertThat(w.repoDigests()).isEmpty();
        ImageSummary n = all.stream().filter(s -> s.id().equals(none)).findFirst().orElseThrow();
        assertThat(n.repoTags()).containsExactly("<none>:<none>");
        assertThat(n.repoDigests()).containsExactly("<none>@<none>");
        // API 1.43+ shows an untagged image with empty lists
        ImageSummary n143 = images.list(false, Filters.NONE, true).stream().filter(s -> s.id().equals(none))
                .findFirst().orElseThrow();
        assertThat(n143.repoTags()).isEmpty();
        assertThat(n143.repoDigests()).isEmpty();

        assertThat(ids("{'reference':['web']}")).containsExactly(web);
        assertThat(ids("{'reference':['w*:1']}")).containsExactly(web);
        assertThat(ids("{'label':['tier=back']}")).containsExactly(db);
        assertThat(ids("{'dangling':['true']}")).containsExactly(none);
        assertThat(ids("{'dangling':['false']}")).containsExactlyInAnyOrder(web, db);
        assertThatThrownBy(() -> ids("{'color':['red']}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid filter 'color'");
        assertThatThrownBy(() -> ids("{'before':['nope']}")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: nope");
    }

    @Test
    void list_countsTheContainersUsingEachImage() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "used", null, List.of());
        f.container("c1" + "0".repeat(62), id, "exited");
        f.container("c2" + "0".repeat(62), id, "running");
        assertThat(images.list(false, Filters.NONE, true)).singleElement()
                .satisfies(s -> assertThat(s.containers()).isEqualTo(2));
    }

    private List<String> ids(String json) {
        return images.list(false, Filters.parse(json.replace('\'', '"')), true).stream().map(ImageSummary::id)
                .toList();
    }

    @Test
    void inspect_hasDockersShape() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "shape", null,
                List.of("ENTRYPOINT [\"/init\"]", "EXPOSE 80/tcp", "VOLUME /data", "STOPSIGNAL SIGINT"));
        ImageInspect i = images.inspect(id.substring(7, 19), true);
        assertThat(i.id()).isEqualTo(id);
        assertThat(i.repoTags()).containsExactly("shape:latest");
        assertThat(i.repoDigests()).isEmpty();
        assertThat(i.parent()).isEmpty();
        assertThat(i.architecture()).isEqualTo("amd64");
        assertThat(i.os()).isEqualTo("linux");
        assertThat(i.created()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(i.config().entrypoint()).containsExactly("/init");
        assertThat(i.config().exposedPorts()).containsOnlyKeys("80/tcp");
        assertThat(i.config().volumes()).containsOnlyKeys("/data");
        assertThat(i.config().stopSignal()).isEqualTo("SIGINT");
        assertThat(i.config().user()).isEmpty();
        assertThat(i.virtualSize()).as("VirtualSize is gone at API 1.44").isNull();
        assertThat(i.graphDriver()).containsEntry("Name", "overlay2");
        assertThat(i.rootFs().type()).isEqualTo("layers");
        assertThatThrownBy(() -> images.inspect("ghost", true)).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: ghost");
    }

    @Test
    void remove_byOneOfSeveralTags_onlyUntags() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "first", null, List.of());
        images.tag(id, "second", null);
        f.events();
        assertThat(images.remove("second", false, false)).containsExactly(DeleteItem.untagged("second:latest"));
        assertThat(images.tagsOf(Digest.parse(id))).containsExactly("first:latest");
        assertThat(f.events()).containsExactly("untag " + id + " second:latest");
    }

    @Test
    void remove_byItsLastTag_deletesTheImageAndItsLayer() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "only", null, List.of());
        String chain = images.resolve(id).chainIds().getFirst();
        f.events();
        assertThat(images.remove("only", false, false))
                .containsExactly(DeleteItem.untagged("only:latest"), DeleteItem.deleted(id));
        assertThat(images.count()).isZero();
        assertThat(images.layerSize(chain)).isZero();
        assertThat(f.layers.get(chain)).isEmpty();
        assertThat(f.events()).containsExactly("untag " + id + " only:latest", "delete " + id + " " + id);
        assertThatThrownBy(() -> images.remove("only", false, false)).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: only");
    }

    @Test
    void remove_byId_followsDockersConflictRules() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "multi", null, List.of());
        images.tag(id, "multi2", null);
        String shortId = id.substring(7, 19);
        assertThatThrownBy(() -> images.remove(shortId, false, false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + shortId
                        + " (must be forced) - image is referenced in multiple repositories");

        String stopped = "ab" + "0".repeat(62);
        f.container(stopped, id, "exited");
        // with two tags, removing one by name only untags it, even while a container uses the image
        assertThat(images.remove("multi2", false, false)).containsExactly(DeleteItem.untagged("multi2:latest"));
        assertThatThrownBy(() -> images.remove("multi", false, false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to remove repository reference \"multi\" (must force) - container "
                        + stopped.substring(0, 12) + " is using its referenced image " + shortId);
        assertThatThrownBy(() -> images.remove(id, false, false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + shortId
                        + " (must be forced) - image is being used by stopped container " + stopped.substring(0, 12));

        String running = "cd" + "0".repeat(62);
        f.container(running, id, "running");
        assertThatThrownBy(() -> images.remove(id, true, false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + shortId
                        + " (cannot be forced) - image is being used by running container " + running.substring(0, 12));
        assertThat(images.resolve(id).id()).isEqualTo(Digest.parse(id));
    }

    @Test
    void remove_byIdWithForce_untagsEverything_andKeepsAnImageAStoppedContainerUses() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "1")), "forced", null, List.of());
        images.tag(id, "forced2", null);
        f.container("ef" + "0".repeat(62), id, "exited");
        assertThat(images.remove(id, true, false)).containsExactlyInAnyOrder(DeleteItem.untagged("forced:latest"),
                DeleteItem.untagged("forced2:latest"));
        assertThat(images.tagsOf(Digest.parse(id))).isEmpty();
        assertThat(images.count()).isEqualTo(1);
    }

    @Test
    void commit_stacksALayerOnTheParent_andHistoryListsBothSteps() throws Exception {
        String base = importTar(LayerTars.of(Map.of("base.txt", "b")), "base", null, List.of("CMD [\"sh\"]"));
        Path diff = dir.resolve("diff.tar");
        Files.write(diff, LayerTars.of(Map.of("added.txt", "new content")));
        f.events();
        ImageConfig.RunConfig cfg = ImageService.applyChanges(images.config(Digest.parse(base)).config(),
                List.of("ENV X=1"));
        String child = images.commit(new ImageService.CommitRequest(Digest.parse(base), diff, cfg,
                "Ann <ann@example.org>", "my change", "/bin/sh -c echo", "child", "v2")).toString();

        assertThat(f.events()).containsExactly("commit " + child + " child:v2", "tag " + child + " child:v2");
        ImageInspect i = images.inspect("child:v2", false);
        assertThat(i.parent()).isEqualTo(base);
        assertThat(i.author()).isEqualTo("Ann <ann@example.org>");
        assertThat(i.comment()).isEqualTo("my change");
        assertThat(i.config().env()).containsExactly("X=1");
        assertThat(i.config().cmd()).containsExactly("sh");
        assertThat(i.rootFs().layers()).hasSize(2);
        List<String> chains = images.resolve(child).chainIds();
        long baseLayer = images.layerSize(chains.get(0));
        long childLayer = images.layerSize(chains.get(1));
        assertThat(i.size()).isEqualTo(baseLayer + childLayer);

        List<HistoryItem> h = images.history("child:v2");
        assertThat(h).hasSize(2);
        assertThat(h.get(0).id()).isEqualTo(child);
        assertThat(h.get(0).tags()).containsExactly("child:v2");
        assertThat(h.get(0).createdBy()).isEqualTo("/bin/sh -c echo");
        assertThat(h.get(0).comment()).isEqualTo("my change");
        assertThat(h.get(0).size()).isEqualTo(childLayer);
        assertThat(h.get(1).id()).isEqualTo(base);
        assertThat(h.get(1).tags()).containsExactly("base:latest");
        assertThat(h.get(1).size()).isEqualTo(baseLayer);

        assertThat(images.withChildren("base")).containsExactlyInAnyOrder(Digest.parse(base), Digest.parse(child));
        assertThat(images.withChildren("child:v2")).containsExactly(Digest.parse(child));
        assertThat(images.withChildren("nothing")).isEmpty();

        String shortBase = base.substring(7, 19);
        images.remove("base", false, false);
        assertThatThrownBy(() -> images.remove(base, true, false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + shortBase
                        + " (cannot be forced) - image has dependent child images");
    }

    @Test
    void commit_ofAnEmptyDiff_addsAnEmptyLayerHistoryStep_only() throws Exception {
        String base = importTar(LayerTars.of(Map.of("a", "1")), "base", null, List.of());
        Path empty = dir.resolve("empty.tar");
        Files.write(empty, LayerTars.of(Map.of()));
        String child = images.commit(new ImageService.CommitRequest(Digest.parse(base), empty,
                ImageConfig.RunConfig.empty(), null, null, "", null, null)).toString();
        assertThat(images.inspect(child, false).rootFs().layers()).hasSize(1);
        assertThat(images.config(Digest.parse(child)).history()).hasSize(2).last()
                .satisfies(h -> assertThat(h.emptyLayer()).isTrue());
        assertThat(images.tagsOf(Digest.parse(child))).isEmpty();
        Digest ghost = Digest.parse("sha256:" + "9".repeat(64));
        assertThatThrownBy(() -> images.commit(new ImageService.CommitRequest(ghost, empty, null, null, null, "",
                null, null))).isInstanceOf(NotFoundException.class).hasMessage("No such image: " + ghost);
    }

    @Test
    void history_ofAnImportedImage_isOneStep() throws Exception {
        String id = importTar(LayerTars.of(Map.of("a", "12345")), "hist", null, List.of());
        assertThat(images.history("hist")).singleElement().satisfies(h -> {
            assertThat(h.id()).isEqualTo(id);
            assertThat(h.createdBy()).isEmpty();
            assertThat(h.comment()).isEqualTo("Imported from -");
            assertThat(h.tags()).containsExactly("hist:latest");
            assertThat(h.size()).isEqualTo(images.layerSize(images.resolve(id).chainIds().getFirst())).isPositive();
            assertThat(h.created()).isPositive();
        });
        assertThatThrownBy(() -> images.history("nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: nope");
    }

    @Test
    void prune_removesDanglingImages_orAllUnusedWithDanglingFalse_andPublishesPrune() throws Exception {
        String tagged = importTar(LayerTars.of(Map.of("t", "1")), "kept", null, List.of("LABEL keep=yes"));
        String dangling = importTar(LayerTars.of(Map.of("d", "1234")), null, null, List.of());
        String used = importTar(LayerTars.of(Map.of("u", "1")), null, null, List.of());
        f.container("aa" + "0".repeat(62), used, "exited");
        f.events();

        ImagePruneResponse r = images.prune(Filters.NONE);
        assertThat(r.imagesDeleted()).containsExactly(DeleteItem.deleted(dangling));
        assertThat(r.spaceReclaimed()).isPositive();
        assertThat(f.events()).containsExactly("delete " + dangling + " " + dangling, "prune ");
        assertThat(images.prune(Filters.NONE).imagesDeleted()).isNull();

        Filters allButKeep = Filters.parse("{\"dangling\":[\"false\"],\"label!\":[\"keep\"]}");
        assertThat(images.prune(allButKeep).imagesDeleted()).isNull();
        assertThat(images.prune(Filters.parse("{\"dangling\":[\"false\"]}")).imagesDeleted())
                .containsExactly(DeleteItem.untagged("kept:latest"), DeleteItem.deleted(tagged));
        assertThat(images.rows()).extracting(r2 -> r2.id().toString()).containsExactly(used);
        assertThatThrownBy(() -> images.prune(Filters.parse("{\"reference\":[\"x\"]}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'reference'");
    }

    @Test
    void rows_count_andLayerSize_describeWhatIsStored() throws Exception {
        assertThat(images.rows()).isEmpty();
        assertThat(images.count()).isZero();
        String id = importTar(LayerTars.of(Map.of("f", "x".repeat(100))), "sized", null, List.of());
        assertThat(images.count()).isEqualTo(1);
        assertThat(images.rows()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(Digest.parse(id));
            assertThat(r.tags()).containsExactly("sized:latest");
            assertThat(r.chainIds()).hasSize(1);
            assertThat(r.size()).isEqualTo(images.layerSize(r.chainIds().getFirst())).isPositive();
        });
        assertThat(images.layerSize("sha256:" + "0".repeat(64))).isZero();
    }

    /**
     * Docker's image and layer sizes are the bytes of the unpacked files (overlay2's DiffSize walks
     * the layer's directory and adds up file sizes), not the length of the layer's tar: a layer of
     * one 100-byte file is 100 bytes in {@code docker images}, not 2048.
     */
    @Test
    void layerSize_andImageSize_countFileContent_notTarBytes_asDocker() throws Exception {
        String id = importTar(LayerTars.of(Map.of("f", "x".repeat(100), "dir/g", "y".repeat(50))), "content", null,
                List.of());
        assertThat(images.layerSize(images.resolve(id).chainIds().getFirst())).isEqualTo(150);
        assertThat(images.inspect(id, false).size()).isEqualTo(150);
    }

    @Test
    void prepareSave_andPrepareLoad_roundTripAnImageIntoAnotherStore() throws Exception {
        String id = importTar(LayerTars.of(Map.of("etc/os-release", "ID=test\n")), "carry", "1",
                List.of("CMD [\"true\"]"));
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.prepareSave(List.of("carry:1")).writeTo(archive);

        try (ImageStoreFixture other = new ImageStoreFixture(Files.createDirectories(dir.resolve("other")))) {
            List<ProgressMessage> progress = new ArrayList<>();
            List<Digest> loaded;
            try (ImageService.PreparedLoad p = other.images.prepareLoad(
                    new ByteArrayInputStream(archive.toByteArray()))) {
                assertThat(other.images.count()).as("nothing registered before apply").isZero();
                loaded = p.apply(false, progress::add);
            }
            assertThat(loaded).containsExactly(Digest.parse(id));
            assertThat(progress).extracting(ProgressMessage::stream).contains("Loaded image: carry:1\n");
            ImageInspect i = other.images.inspect("carry:1", false);
            assertThat(i.id()).isEqualTo(id);
            assertThat(i.config().cmd()).containsExactly("true");
            assertThat(other.layers.diffDir(other.images.resolve(id).chainIds().getFirst())
                    .resolve("etc/os-release")).hasContent("ID=test");
            assertThat(other.events()).contains("load " + id + " carry:1");
        }
    }

    @Test
    void prepareLoad_closedWithoutApply_registersNothing() throws Exception {
        importTar(LayerTars.of(Map.of("f", "1")), "dropme", null, List.of());
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        images.prepareSave(List.of("dropme")).writeTo(archive);
        try (ImageStoreFixture other = new ImageStoreFixture(Files.createDirectories(dir.resolve("other")))) {
            other.images.prepareLoad(new ByteArrayInputStream(archive.toByteArray())).close();
            assertThat(other.images.count()).isZero();
            assertThat(other.images.findId("dropme")).isEmpty();
            assertThat(other.events()).isEmpty();
        }
    }

    @Test
    void prepareSave_resolvesEveryNameFirst_andPrepareLoadRefusesABadArchive() throws Exception {
        importTar(LayerTars.of(Map.of("a", "1")), "present", null, List.of());
        assertThatThrownBy(() -> images.prepareSave(List.of("present", "absent"))).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: absent");
        assertThatThrownBy(() -> images.prepareSave(List.of())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("no images specified");
        assertThatThrownBy(() -> images.prepareLoad(new ByteArrayInputStream(LayerTars.of(Map.of("x", "y")))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("invalid archive");
        assertThat(images.count()).isEqualTo(1);
    }

    @Test
    void checkReference_acceptsAValidNameOrNone_andRefusesABadOne() {
        ImageService.checkReference(null, null);
        ImageService.checkReference("", "ignored");
        ImageService.checkReference("localhost:5000/team/app", "v1.2");
        assertThatThrownBy(() -> ImageService.checkReference("Team/App", null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid reference format: repository name (");
        assertThatThrownBy(() -> ImageService.checkReference("app", "-bad"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid tag format");
    }

    @Test
    void applyChanges_editsARunConfigAsDockerfileInstructions() {
        ImageConfig.RunConfig c = ImageService.applyChanges(null,
                List.of("ENV A=1", "LABEL l=v", "EXPOSE 8080", "WORKDIR /app", "USER nobody", "CMD echo hi"));
        assertThat(c.env()).containsExactly("A=1");
        assertThat(c.labels()).containsExactly(Map.entry("l", "v"));
        assertThat(c.exposedPorts()).containsOnlyKeys("8080/tcp");
        assertThat(c.workingDir()).isEqualTo("/app");
        assertThat(c.user()).isEqualTo("nobody");
        assertThat(c.cmd()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThatThrownBy(() -> ImageService.applyChanges(null, List.of("RUN make")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void registryConfig_isInfosRegistryConfig_withLoopbackInsecure() {
        Map<String, Object> rc = images.registryConfig();
        assertThat((List<String>) rc.get("InsecureRegistryCIDRs")).contains("127.0.0.0/8", "::1/128");
        assertThat((Map<String, Object>) rc.get("IndexConfigs")).containsKey("docker.io");
        assertThat(rc).containsKey("Mirrors");
    }

    @Test
    void pull_fromAnUnreachableRegistry_failsBeforeAnyProgress_andStoresNothing() throws Exception {
        int port = closedPort();
        List<ProgressMessage> progress = new ArrayList<>();
        assertThatThrownBy(() -> images.pull(PullRequest.of("127.0.0.1:" + port + "/app:1"), progress::add))
                .isInstanceOf(WharfException.class).hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("connection refused");
        assertThat(progress).isEmpty();
        assertThat(images.count()).isZero();
        assertThatThrownBy(() -> images.pull(PullRequest.of("Not/Valid"), ProgressListener.discard()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("invalid reference format");
    }

    @Test
    void push_ofAnImageNotHere_isDockersNotFound_andAnUnreachableRegistryFails() throws Exception {
        int port = closedPort();
        String repo = "127.0.0.1:" + port + "/app";
        assertThatThrownBy(() -> images.push(new PushRequest(repo, null, null), ProgressListener.discard()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("An image does not exist locally with the tag: " + repo);
        assertThatThrownBy(() -> images.push(new PushRequest(repo, "v1", null), ProgressListener.discard()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("An image does not exist locally with the tag: " + repo + ":v1");
        assertThatThrownBy(() -> images.push(new PushRequest(repo + "@sha256:" + "a".repeat(64), null, null),
                ProgressListener.discard())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("cannot push a digest reference");

        String id = importTar(LayerTars.of(Map.of("a", "1")), repo, "v1", List.of());
        assertThat(id).isNotNull();
        assertThatThrownBy(() -> images.push(new PushRequest(repo, "v1", null), ProgressListener.discard()))
                .isInstanceOf(WharfException.class).hasMessageContaining("connection refused");
    }

    @Test
    void login_toAnUnreachableRegistry_isAnError_notASuccess() throws Exception {
        int port = closedPort();
        assertThatThrownBy(() -> images.login("127.0.0.1:" + port, new Credentials("u", "p", null, null)))
                .isInstanceOf(WharfException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void close_canBeCalledTwice() {
        images.close();
        images.close();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
