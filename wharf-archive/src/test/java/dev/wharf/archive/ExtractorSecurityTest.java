package dev.wharf.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malicious archives: each must leave everything outside the target untouched, and either be
 * confined into the target or refused with {@link InvalidArgumentException}.
 */
class ExtractorSecurityTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path sentinel;
    private Path outsideDir;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("root");
        Files.createDirectories(root);
        sentinel = tmp.resolve("escape");
        Files.writeString(sentinel, "sentinel");
        outsideDir = tmp.resolve("outside-dir");
        Files.createDirectories(outsideDir);
        Files.writeString(outsideDir.resolve("victim"), "victim");
    }

    @AfterEach
    void outsideIsUntouched() throws IOException {
        assertThat(sentinel).hasContent("sentinel");
        assertThat(Files.isSymbolicLink(sentinel)).isFalse();
        try (var s = Files.list(outsideDir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("victim");
        }
        assertThat(outsideDir.resolve("victim")).isRegularFile().hasContent("victim");
        assertThat(Posix.llistxattr(outsideDir)).doesNotContain(Extractor.OPAQUE_XATTR);
    }

    private void extractLayer(byte[] tar) throws IOException {
        Extractor.extractLayer(new ByteArrayInputStream(tar), root);
    }

    @Test
    void dotDotName_isRefused() {
        byte[] tar = new TarBuilder().file("../escape", "pwned").build();
        assertThatThrownBy(() -> extractLayer(tar))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("../escape");
    }

    @Test
    void dotDotInTheMiddle_isRefused() {
        byte[] tar = new TarBuilder().file("a/../../escape", "pwned").build();
        assertThatThrownBy(() -> extractLayer(tar))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("a/../../escape");
    }

    @Test
    void dotDotThatStaysInside_isFine() throws IOException {
        extractLayer(new TarBuilder().file("a/../b", "ok").build());
        assertThat(root.resolve("b")).hasContent("ok");
    }

    @Test
    void absoluteName_isConfined() throws IOException {
        String name = tmp.resolve("escape").toString();
        extractLayer(new TarBuilder().file("/abs/path", "in").file(name, "confined").build());
        assertThat(root.resolve("abs/path")).hasContent("in");
        assertThat(root.resolve(name.substring(1))).hasContent("confined");
    }

    @Test
    void fileThroughAbsoluteSymlink_isConfined() throws IOException {
        extractLayer(new TarBuilder().symlink("evil", outsideDir.toString()).file("evil/x", "pwned").build());
        assertThat(Files.readSymbolicLink(root.resolve("evil"))).isEqualTo(outsideDir);
        assertThat(root.resolve(outsideDir.toString().substring(1)).resolve("x")).hasContent("pwned");
    }

    @Test
    void fileThroughClimbingSymlink_isConfined() throws IOException {
        String unique = "wharf-escape-" + UUID.randomUUID();
        extractLayer(new TarBuilder().symlink("evil", "../../..").file("evil/" + unique, "pwned").build());
        assertThat(Path.of("/", unique)).doesNotExist();
        assertThat(tmp.resolve(unique)).doesNotExist();
        assertThat(root.resolve(unique)).hasContent("pwned");
    }

    @Test
    void fileThroughParentSymlink_isConfined() throws IOException {
        extractLayer(new TarBuilder().symlink("up", "..").file("up/escape", "pwned").build());
        assertThat(root.resolve("escape")).hasContent("pwned");
    }

    @Test
    void chainedSymlinks_areConfined() throws IOException {
        extractLayer(new TarBuilder()
                .dir("a", 0755)
                .symlink("a/b", "../c")
                .symlink("c", outsideDir.toString())
                .dir("a/b/sub", 0755)
                .file("a/b/sub/victim", "pwned")
                .build());
        assertThat(root.resolve(outsideDir.toString().substring(1)).resolve("sub/victim")).hasContent("pwned");
    }

    @Test
    void fileOverSymlink_replacesTheLinkNotItsTarget() throws IOException {
        extractLayer(new TarBuilder().symlink("s", sentinel.toString()).file("s", "pwned").build());
        assertThat(root.resolve("s")).isRegularFile().hasContent("pwned");
        assertThat(Files.isSymbolicLink(root.resolve("s"))).isFalse();
    }

    @Test
    void hardlinkToAbsoluteHostFile_isRefused() throws IOException {
        Path host = Path.of("/etc/hostname");
        Object nlinkBefore = Files.exists(host) ? TestFs.stat(host).get("nlink") : null;
        byte[] tar = new TarBuilder().hardlink("h", "/etc/hostname").build();
        assertThatThrownBy(() -> extractLayer(tar))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("/etc/hostname");
        assertThat(Files.exists(root.resolve("h"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        if (nlinkBefore != null) {
            assertThat(TestFs.stat(host).get("nlink")).isEqualTo(nlinkBefore);
        }
    }

    @Test
    void hardlinkClimbingOut_isRefused() {
        byte[] tar = new TarBuilder().hardlink("h", "../escape").build();
        assertThatThrownBy(() -> extractLayer(tar))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("../escape");
        assertThat(root.resolve("h")).doesNotExist();
    }

    @Test
    void hardlinkThroughSymlinkOutside_isRefused() {
        byte[] tar = new TarBuilder()
                .symlink("evil", outsideDir.toString())
                .hardlink("h", "evil/victim")
                .build();
        assertThatThrownBy(() -> extractLayer(tar)).isInstanceOf(InvalidArgumentException.class);
        assertThat(Files.exists(root.resolve("h"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void hardlinkToSymlinkPointingOutside_linksTheSymlinkItself() throws IOException {
        extractLayer(new TarBuilder().symlink("s", sentinel.toString()).hardlink("h", "s").build());
        assertThat(Files.isSymbolicLink(root.resolve("h"))).isTrue();
    }

    @Tag("root")
    @Test
    void whiteoutsThroughSymlink_areConfined() throws IOException {
        TestFs.requireRoot();
        extractLayer(new TarBuilder()
                .symlink("evil", outsideDir.toString())
                .file("evil/.wh.victim", "")
                .file("evil/.wh..wh..opq", "")
                .build());
        Path confined = root.resolve(outsideDir.toString().substring(1));
        assertThat(TestFs.type(confined.resolve("victim"))).isEqualTo(Posix.S_IFCHR);
    }

    @Test
    void plainExtraction_isConfinedToo() {
        byte[] tar = new TarBuilder().symlink("evil", outsideDir.toString()).file("evil/../../escape", "x").build();
        assertThatThrownBy(() -> Extractor.extractPlain(new ByteArrayInputStream(tar), root, ExtractOptions.DEFAULTS))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void symlinkLoop_isRefused() {
        byte[] tar = new TarBuilder().symlink("a", "b").symlink("b", "a").file("a/x", "x").build();
        assertThatThrownBy(() -> extractLayer(tar))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("too many levels");
    }
}
