package dev.wharf.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserResolverTest {

    @TempDir
    Path dir;
    Path rootfs;

    @BeforeEach
    void setUp() throws Exception {
        rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                # a comment
                app:x:1000:1001:App:/home/app:/bin/sh
                nohome:x:1002:1002::
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                daemon:x:1:
                wheel:x:10:root,app
                app:x:1001:
                audio:x:29:app
                staff:x:50:other
                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''          | 0    | 0    | 10        | /root",
            "root        | 0    | 0    | 10        | /root",
            "app         | 1000 | 1001 | 10;29     | /home/app",
            "1000        | 1000 | 1001 | 10;29     | /home/app",
            "app:staff   | 1000 | 50   | ''        | /home/app",
            "app:50      | 1000 | 50   | ''        | /home/app",
            "1000:777    | 1000 | 777  | ''        | /home/app",
            "4242        | 4242 | 0    | ''        | /",
            "4242:4243   | 4242 | 4243 | ''        | /",
            "nohome      | 1002 | 1002 | ''        | /",
            "daemon      | 1    | 1    | ''        | /usr/sbin",
    })
    void resolve_table(String user, int uid, int gid, String extra, String home) {
        ResolvedUser u = UserResolver.resolve(rootfs, user);
        List<Integer> gids = extra.isEmpty() ? List.of()
                : java.util.Arrays.stream(extra.split(";")).map(Integer::valueOf).toList();
        assertThat(u).isEqualTo(new ResolvedUser(uid, gid, gids, home));
    }

    @Test
    void unknownUser_isInvalidArgumentWithRuncWording() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "nobody"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
    }

    @Test
    void unknownGroup_isInvalidArgument() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:nogroup"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void noPasswdFile_numericWorksAndNamesFail() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThat(UserResolver.resolve(empty, "")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/"));
        assertThat(UserResolver.resolve(empty, "33:44")).isEqualTo(new ResolvedUser(33, 44, List.of(), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(empty, "app")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void symlinkedEtc_staysInsideRootfs() throws Exception {
        // a host-like passwd outside the rootfs that must never be read
        Path outside = dir.resolve("outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("passwd"), "evil:x:666:666::/evil:/bin/sh\n");
        Path r2 = dir.resolve("r2");
        Files.createDirectories(r2.resolve("real"));
        Files.writeString(r2.resolve("real/passwd"), "good:x:7:7::/good:/bin/sh\n");
        Files.createDirectories(r2.resolve("etc"));
        // absolute link resolves inside the rootfs, relative ../../.. is clamped at the rootfs
        Files.createSymbolicLink(r2.resolve("etc/passwd"), Path.of("/real/passwd"));
        assertThat(UserResolver.resolve(r2, "good").uid()).isEqualTo(7);
        Files.delete(r2.resolve("etc/passwd"));
        Files.createSymbolicLink(r2.resolve("etc/passwd"), Path.of("../../../../outside/passwd"));
        assertThatThrownBy(() -> UserResolver.resolve(r2, "evil")).isInstanceOf(InvalidArgumentException.class);
        assertThat(UserResolver.resolveInRoot(r2, "/etc/passwd")).isEqualTo(r2.resolve("outside/passwd"));
    }
}
