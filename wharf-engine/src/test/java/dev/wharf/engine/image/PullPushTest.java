package dev.wharf.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.image.ImageInspect;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.auth.Credentials;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker push}, {@code docker pull} and {@code docker login} of the image service against
 * an in-memory registry on a loopback port: an image pushed from one store and pulled into
 * another keeps its ID, its layers' files and its digest; Docker's progress lines, results, events
 * and errors. No root.
 */
class PullPushTest {

    @TempDir
    Path dir;
    private TinyRegistry registry;
    private ImageStoreFixture pusher;
    private ImageStoreFixture puller;

    @BeforeEach
    void setUp() throws Exception {
        registry = new TinyRegistry();
        pusher = new ImageStoreFixture(Files.createDirectories(dir.resolve("a")));
        puller = new ImageStoreFixture(Files.createDirectories(dir.resolve("b")));
    }

    @AfterEach
    void tearDown() {
        pusher.close();
        puller.close();
        registry.close();
    }

    private static List<String> lines(List<ProgressMessage> ms) {
        return ms.stream().map(m -> m.id() == null ? m.status() : m.id() + ": " + m.status())
                .filter(Objects::nonNull).toList();
    }

    private Digest importApp(String repo, String tag) throws Exception {
        return pusher.images.importImage(new ByteArrayInputStream(LayerTars.of(Map.of("srv/index.html", "<h1>hi</h1>",
                "etc/app.conf", "port=8080"))), repo, tag, List.of("CMD [\"serve\"]"), null, m -> { });
    }

    @Test
    void push_thenPull_carriesTheImageWithItsIdFilesAndDigest() throws Exception {
        String repo = registry.host() + "/team/app";
        Digest id = importApp(repo, "v1");
        pusher.events();

        List<ProgressMessage> pushed = new ArrayList<>();
        List<PushResult> results = pusher.images.push(new PushRequest(repo, "v1", null), pushed::add);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.tag()).isEqualTo("v1");
            assertThat(r.digest()).matches("sha256:[0-9a-f]{64}");
            assertThat(r.size()).isPositive();
        });
        String digest = results.getFirst().digest();
        assertThat(lines(pushed)).first().isEqualTo("The push refers to repository [" + repo + "]");
        assertThat(lines(pushed)).anyMatch(l -> l.endsWith(": Pushed"))
                .contains("v1: digest: " + digest + " size: " + results.getFirst().size());
        assertThat(pusher.events()).containsExactly("push " + repo + ":v1 " + repo + ":v1");
        assertThat(registry.blobCount()).isEqualTo(2); // the layer and the config
        assertThat(pusher.images.inspect(repo + ":v1", false).repoDigests()).containsExactly(repo + "@" + digest);

        List<ProgressMessage> pulled = new ArrayList<>();
        PullResult r = puller.images.pull(PullRequest.of(repo + ":v1"), pulled::add);
        assertThat(r.imageId()).isEqualTo(id);
        assertThat(r.digest()).isEqualTo(digest);
        assertThat(r.updated()).isTrue();
        assertThat(lines(pulled)).contains("v1: Pulling from team/app", "Digest: " + digest,
                "Status: Downloaded newer image for " + repo + ":v1").anyMatch(l -> l.endsWith(": Pull complete"));
        assertThat(puller.events()).containsExactly("pull " + repo + ":v1 " + repo + ":v1");

        ImageInspect i = puller.images.inspect(repo + ":v1", false);
        assertThat(i.id()).isEqualTo(id.toString());
        assertThat(i.repoTags()).containsExactly(repo + ":v1");
        assertThat(i.repoDigests()).containsExactly(repo + "@" + digest);
        assertThat(i.config().cmd()).containsExactly("serve");
        Path layer = puller.layers.diffDir(puller.images.resolve(id).chainIds().getFirst());
        assertThat(layer.resolve("srv/index.html")).hasContent("<h1>hi</h1>");
        assertThat(puller.images.resolve(repo + "@" + digest).id()).isEqualTo(id);

        List<ProgressMessage> again = new ArrayList<>();
        assertThat(puller.images.pull(PullRequest.of(repo + ":v1"), again::add).updated()).isFalse();
        assertThat(lines(again)).contains("Status: Image is up to date for " + repo + ":v1");
    }

    @Test
    void push_withoutATag_pushesEveryTagOfTheRepository_andAPushedLayerIsNotSentTwice() throws Exception {
        String repo = registry.host() + "/multi";
        Digest id = importApp(repo, "one");
        pusher.images.tag(id.toString(), repo, "two");
        List<ProgressMessage> progress = new ArrayList<>();
        List<PushResult> results = pusher.images.push(new PushRequest(repo, null, null), progress::add);
        assertThat(results).extracting(PushResult::tag).containsExactlyInAnyOrder("one", "two");
        assertThat(results.get(0).digest()).isEqualTo(results.get(1).digest());
        assertThat(lines(progress)).anyMatch(l -> l.endsWith(": Layer already exists"));

        PullResult all = puller.images.pull(new PullRequest(repo, null, null, null, true), m -> { });
        assertThat(all.imageId()).isEqualTo(id);
        assertThat(puller.images.tagsOf(id)).containsExactlyInAnyOrder(repo + ":one", repo + ":two");
    }

    @Test
    void pull_ofAnUnknownTag_isDockersManifestNotFound_andStoresNothing() throws Exception {
        String repo = registry.host() + "/team/app";
        List<ProgressMessage> progress = new ArrayList<>();
        assertThatThrownBy(() -> puller.images.pull(PullRequest.of(repo + ":nope"), progress::add))
                .isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("manifest for " + repo + ":nope not found: manifest unknown");
        assertThat(puller.images.count()).isZero();
        assertThat(puller.events()).isEmpty();
    }

    @Test
    void login_toARegistryWithoutAuth_succeeds() {
        RegistryClient.Login l = pusher.images.login(registry.host(), new Credentials("me", "secret", null, null));
        assertThat(l.status()).isEqualTo("Login Succeeded");
    }
}
