package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed reading of a HostConfig's interpreted keys, and the 400s for values of a bad type. */
class HostOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HostConfig wire(String json) throws Exception {
        return JSON.readValue(json, HostConfig.class);
    }

    @Test
    void aRequestsKeys_readAsTypedValues() throws Exception {
        HostOptions h = HostOptions.of(wire("""
                {"CapAdd": ["NET_ADMIN"], "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"],
                 "GroupAdd": ["audio", 5], "Init": true, "OomScoreAdj": -500,
                 "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
                 "Devices": [{"PathOnHost": "/dev/null"}, {"PathOnHost": "/dev/zero", "PathInContainer": "/dev/z",
                              "CgroupPermissions": "r"}],
                 "DeviceCgroupRules": ["c 1:3 rwm"], "CgroupnsMode": "private", "IpcMode": "host",
                 "PidMode": "container:abc", "UTSMode": "host", "Sysctls": {"net.ipv4.ip_forward": "1"},
                 "MaskedPaths": ["/proc/kcore"], "Annotations": {"a": "b"}, "CgroupParent": "/mine",
                 "Memory": 104857600, "MemorySwap": -1, "MemorySwappiness": 0, "OomKillDisable": false,
                 "NanoCpus": 1500000000, "CpusetCpus": "0-1", "PidsLimit": 0,
                 "BlkioWeightDevice": [{"Path": "/dev/sda", "Weight": 300}],
                 "BlkioDeviceReadBps": [{"Path": "/dev/sda", "Rate": 1024}],
                 "Links": ["/db:/web/db"], "Dns": ["1.1.1.1"], "ExtraHosts": ["h:10.0.0.1"],
                 "PublishAllPorts": true, "Isolation": "default"}
                """));
        assertThat(h.capAdd()).containsExactly("NET_ADMIN");
        assertThat(h.capDrop()).containsExactly("ALL");
        assertThat(h.securityOpt()).containsExactly("no-new-privileges");
        assertThat(h.groupAdd()).containsExactly("audio", "5");
        assertThat(h.init()).isTrue();
        assertThat(h.oomScoreAdj()).isEqualTo(-500);
        assertThat(h.ulimits()).containsExactly(new HostOptions.Ulimit("nofile", 1024, 2048, null));
        assertThat(h.devices()).containsExactly(new HostOptions.Device("/dev/null", null, "rwm", null),
                new HostOptions.Device("/dev/zero", "/dev/z", "r", null));
        assertThat(h.deviceCgroupRules()).containsExactly("c 1:3 rwm");
        assertThat(h.cgroupnsMode()).isEqualTo("private");
        assertThat(h.hostIpc()).isTrue();
        assertThat(h.hostPid()).isFalse();
        assertThat(h.pidMode()).isEqualTo("container:abc");
        assertThat(h.hostUts()).isTrue();
        assertThat(h.sysctls()).containsExactly(Map.entry("net.ipv4.ip_forward", "1"));
        assertThat(h.maskedPaths()).containsExactly("/proc/kcore");
        assertThat(h.readonlyPaths()).isNull();
        assertThat(h.annotations()).containsExactly(Map.entry("a", "b"));
        assertThat(h.cgroupParent()).isEqualTo("/mine");
        HostOptions.Limits l = h.limits();
        assertThat(l.memory()).isEqualTo(100L * 1024 * 1024);
        assertThat(l.memorySwap()).isEqualTo(-1);
        assertThat(l.memorySwappiness()).isEqualTo(0L);
        assertThat(l.oomKillDisable()).isFalse();
        assertThat(l.nanoCpus()).isEqualTo(1_500_000_000L);
        assertThat(l.cpusetCpus()).isEqualTo("0-1");
        assertThat(l.cpusetMems()).isNull();
        assertThat(l.pidsLimit()).isEqualTo(0L);
        assertThat(l.blkioWeightDevice()).containsExactly(new HostOptions.BlkioDevice("/dev/sda", 300));
        assertThat(l.blkioDeviceReadBps()).containsExactly(new HostOptions.BlkioDevice("/dev/sda", 1024));
        assertThat(l.blkioDeviceWriteBps()).isEmpty();
        assertThat(h.links()).containsExactly("/db:/web/db");
        assertThat(h.dns()).containsExactly("1.1.1.1");
        assertThat(h.extraHosts()).containsExactly("h:10.0.0.1");
        assertThat(h.publishAllPorts()).isTrue();
        assertThat(h.isolation()).isEqualTo("default");
    }

    @Test
    void nothingGiven_readsAsNothingAsked() throws Exception {
        HostOptions h = HostOptions.of(wire("{}"));
        assertThat(h.capAdd()).isEmpty();
        assertThat(h.init()).isFalse();
        assertThat(h.cgroupnsMode()).isNull();
        assertThat(h.ipcMode()).isNull();
        assertThat(h.maskedPaths()).isNull();
        assertThat(h.cgroupParent()).isNull();
        assertThat(h.limits().memorySwappiness()).isNull();
        assertThat(h.limits().pidsLimit()).isNull();
        assertThat(h.limits().oomKillDisable()).isNull();
        assertThat(h.isolation()).isEmpty();
        assertThat(h.sysctls()).isEmpty();
    }

    @Test
    void wrongJsonTypes_whereTheEngineNeverRefusedThem_readAsAbsent() throws Exception {
        HostOptions h = HostOptions.of(wire("""
                {"CapAdd": "NET_ADMIN", "Init": "yes", "IpcMode": 5, "Sysctls": ["x"], "MaskedPaths": "/proc",
                 "CgroupParent": "", "OomKillDisable": "true", "BlkioWeightDevice": [7]}
                """));
        assertThat(h.capAdd()).isEmpty();
        assertThat(h.init()).isFalse();
        assertThat(h.ipcMode()).isNull();
        assertThat(h.sysctls()).isEmpty();
        assertThat(h.maskedPaths()).isNull();
        assertThat(h.cgroupParent()).isNull();
        assertThat(h.limits().oomKillDisable()).isNull();
        assertThat(h.limits().blkioWeightDevice()).containsExactly(new HostOptions.BlkioDevice("", 0));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("{\"Memory\": \"1g\"}", "invalid JSON: json: cannot unmarshal string into Go struct "
                        + "field CreateRequest.HostConfig.Memory of type int64"),
                Arguments.of("{\"CpuShares\": 1.5}", "invalid JSON: json: cannot unmarshal number 1.5 into Go "
                        + "struct field CreateRequest.HostConfig.CpuShares of type int64"),
                Arguments.of("{\"PidsLimit\": true}", "invalid JSON: json: cannot unmarshal bool into Go struct "
                        + "field CreateRequest.HostConfig.PidsLimit of type int64"),
                Arguments.of("{\"NanoCpus\": [1]}", "invalid JSON: json: cannot unmarshal array into Go struct "
                        + "field CreateRequest.HostConfig.NanoCpus of type int64"),
                Arguments.of("{\"OomScoreAdj\": {}}", "invalid JSON: json: cannot unmarshal object into Go struct "
                        + "field CreateRequest.HostConfig.OomScoreAdj of type int64"),
                Arguments.of("{\"Devices\": [\"/dev/null\"]}", "invalid device mapping: /dev/null"),
                Arguments.of("{\"Devices\": [{\"PathInContainer\": \"/dev/x\"}]}",
                        "invalid device mapping: {PathInContainer=/dev/x}"),
                Arguments.of("{\"Ulimits\": [\"nofile=1\"]}", "invalid ulimit: nofile=1"),
                Arguments.of("{\"Ulimits\": [{\"Soft\": 1, \"Hard\": 1}]}", "invalid ulimit type: null"),
                Arguments.of("{\"CgroupnsMode\": 5}", "invalid cgroup namespace mode: 5"),
                Arguments.of("{\"CgroupnsMode\": \"shared\"}", "invalid cgroup namespace mode: shared"),
                Arguments.of("{\"DeviceCgroupRules\": [\"x 1:3 rwm\"]}", "invalid device cgroup format 'x 1:3 rwm'"),
                Arguments.of("{\"Sysctls\": {\"kernel.hostname\": \"x\"}}", "sysctl 'kernel.hostname' is not allowed"),
                Arguments.of("{\"IpcMode\": \"host\", \"Sysctls\": {\"kernel.shmmax\": \"1\"}}",
                        "sysctl 'kernel.shmmax' is not allowed in host IPC namespace"),
                Arguments.of("{\"SecurityOpt\": [\"bogus\"]}", "Invalid --security-opt: \"bogus\""),
                Arguments.of("{\"Memory\": 1024}", "Minimum memory limit allowed is 6MB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void badValues_areRefusedWithTheMessagesTheyHad(String json, String message) {
        assertThatThrownBy(() -> HostConfinement.validate(wire(json))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aConfigStoredByTheEarlierVersion_loadsAndReadsTheSame() throws Exception {
        // StoredConfig's hostConfig column as earlier versions wrote it: the interpreted keys in the map.
        String stored = """
                {"NetworkMode":"bridge","AutoRemove":false,"Privileged":false,"ReadonlyRootfs":false,
                 "CapAdd":["SYS_ADMIN"],"Memory":67108864,"CgroupnsMode":"private",
                 "Links":["/db:/web/db"],"MaskedPaths":["/proc/acpi"],"ReadonlyPaths":[]}
                """;
        HostConfig hc = wire(stored);
        HostOptions h = HostOptions.of(hc);
        assertThat(h.capAdd()).containsExactly("SYS_ADMIN");
        assertThat(h.limits().memory()).isEqualTo(64L * 1024 * 1024);
        assertThat(HostConfinement.privateCgroupns(h, false)).isTrue();
        assertThat(h.links()).containsExactly("/db:/web/db");
        assertThat(h.readonlyPaths()).isEmpty();
        // and the map it is written back with is what was read: inspect echoes it unchanged
        Map<?, ?> back = JSON.readValue(JSON.writeValueAsString(hc), Map.class);
        Map<?, ?> original = JSON.readValue(stored, Map.class);
        for (Object k : original.keySet()) {
            assertThat(back.get(k)).as(String.valueOf(k)).isEqualTo(original.get(k));
        }
    }

    @Test
    void normalizedValues_areRecordedInTheMapAndReadBack() throws Exception {
        HostConfig hc = HostConfinement.withCgroupnsDefault(wire("{\"CapAdd\": [\"NET_ADMIN\"]}"), true);
        assertThat(hc.other()).containsEntry("CgroupnsMode", "private").containsEntry("CapAdd", List.of("NET_ADMIN"));
        assertThat(HostOptions.of(hc).cgroupnsMode()).isEqualTo("private");
        Map<String, Object> given = new LinkedHashMap<>(Map.of("CgroupnsMode", "host"));
        assertThat(HostConfinement.withCgroupnsDefault(HostConfig.defaults().withOther(given), true).other())
                .containsEntry("CgroupnsMode", "host");
    }

    @Test
    void mounts_tmpfsAndVolumesFrom_readAsTyped_andTheirJsonTypesAreChecked() throws Exception {
        HostOptions h = HostOptions.of(wire("""
                {"Mounts": [{"Type": "bind", "Source": "/src", "Destination": "/dst", "ReadOnly": true,
                             "BindOptions": {"Propagation": "rshared", "CreateMountpoint": true}},
                            {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1024, "Mode": 448,
                                                                               "Options": "noexec"}},
                            {"Type": "volume", "Target": "/v", "VolumeOptions": "bad"}],
                 "Tmpfs": {"/run": "size=1m", "/tmp": null}, "VolumesFrom": ["db:ro"]}
                """));
        assertThat(h.mounts()).containsExactly(
                new HostOptions.Mount("bind", "/src", "/dst", true, true, "rshared", false, "", 0, 0, ""),
                new HostOptions.Mount("tmpfs", "", "/t", false, false, "", false, "", 1024, 448, "noexec"),
                new HostOptions.Mount("volume", "", "/v", false, false, "", false, "", 0, 0, ""));
        assertThat(h.tmpfs()).containsExactly(Map.entry("/run", "size=1m"), Map.entry("/tmp", ""));
        assertThat(h.volumesFrom()).containsExactly("db:ro");
        assertThatThrownBy(() -> HostOptions.checkMountTypes(wire("{\"Mounts\": {}}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("HostConfig.Mounts must be a list");
        assertThatThrownBy(() -> HostOptions.checkMountTypes(wire("{\"VolumesFrom\": \"db\"}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("HostConfig.VolumesFrom must be a list");
        assertThatThrownBy(() -> HostOptions.checkMountTypes(wire("{\"Tmpfs\": [\"/run\"]}")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("HostConfig.Tmpfs must be an object of path to options");
    }

    @Test
    void portBindings_readAsTyped_withMissingPartsAsAny() throws Exception {
        HostOptions h = HostOptions.of(wire("""
                {"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}, {}], "53/udp": null}}
                """));
        assertThat(h.portBindings()).containsExactly(
                Map.entry("80/tcp", List.of(new dev.wharf.engine.network.PortBinding("127.0.0.1", "8080"),
                        new dev.wharf.engine.network.PortBinding("", ""))),
                Map.entry("53/udp", List.of()));
    }
}
