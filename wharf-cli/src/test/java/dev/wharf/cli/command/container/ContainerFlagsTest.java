package dev.wharf.cli.command.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.cli.FlagParser;
import dev.wharf.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class ContainerFlagsTest {

    @TempDir
    Path tmp;

    private static JsonNode request(String... args) throws Exception {
        CreateCommand c = new CreateCommand();
        FlagParser.parse(c, args, true);
        var req = c.flags.toRequest(c.args.getFirst(), c.args.subList(1, c.args.size()), true, null,
                Map.of("HOME_ENV", "from-host"));
        // the wire form: Config fields at top level, then HostConfig and NetworkingConfig
        JsonNode cfg = Json.mapper().valueToTree(req.config());
        ((com.fasterxml.jackson.databind.node.ObjectNode) cfg).set("HostConfig",
                Json.mapper().valueToTree(req.hostConfig()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) cfg).set("NetworkingConfig",
                Json.mapper().valueToTree(req.networkingConfig()));
        return cfg;
    }

    @Test
    void resources() throws Exception {
        JsonNode r = request("--memory", "64m", "--memory-swap", "-1", "--memory-reservation", "1.5g", "--cpus",
                "1.5", "-c", "512", "--cpu-period", "100000", "--cpu-quota", "50000", "--cpuset-cpus", "0-1",
                "--cpuset-mems", "0", "--pids-limit", "50", "--blkio-weight", "300", "--shm-size", "128m",
                "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=64", "--oom-kill-disable", "--oom-score-adj",
                "-500", "bb:1");
        JsonNode hc = r.get("HostConfig");
        assertThat(hc.get("Memory").asLong()).isEqualTo(64L << 20);
        assertThat(hc.get("MemorySwap").asLong()).isEqualTo(-1);
        assertThat(hc.get("MemoryReservation").asLong()).isEqualTo(3L << 29);
        assertThat(hc.get("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(hc.get("CpuShares").asLong()).isEqualTo(512);
        assertThat(hc.get("CpuPeriod").asLong()).isEqualTo(100000);
        assertThat(hc.get("CpuQuota").asLong()).isEqualTo(50000);
        assertThat(hc.get("CpusetCpus").asText()).isEqualTo("0-1");
        assertThat(hc.get("CpusetMems").asText()).isEqualTo("0");
        assertThat(hc.get("PidsLimit").asLong()).isEqualTo(50);
        assertThat(hc.get("BlkioWeight").asInt()).isEqualTo(300);
        assertThat(hc.get("ShmSize").asLong()).isEqualTo(128L << 20);
        assertThat(hc.get("Ulimits").toString()).isEqualTo(
                "[{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024},{\"Name\":\"nproc\",\"Hard\":64,\"Soft\":64}]");
        assertThat(hc.get("OomKillDisable").asBoolean()).isTrue();
        assertThat(hc.get("OomScoreAdj").asInt()).isEqualTo(-500);
    }

    @Test
    void confinementAndNamespaces() throws Exception {
        JsonNode hc = request("--cap-add", "net_admin", "--cap-add", "CAP_SYS_TIME", "--cap-drop", "ALL",
                "--cap-drop", "net_admin", "--device", "/dev/fuse", "--device", "/dev/null:/dev/xnull:r",
                "--security-opt", "no-new-privileges", "--security-opt", "apparmor=unconfined",
                "--security-opt", "systempaths=unconfined", "--tmpfs", "/run:rw,size=64m", "--tmpfs", "/scratch",
                "--sysctl", "net.ipv4.ip_forward=1", "--group-add", "audio", "--cgroupns", "private", "--ipc",
                "shareable", "--pid", "host", "--uts", "host", "--init", "bb:1").get("HostConfig");
        assertThat(hc.get("CapAdd").toString()).isEqualTo("[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"]");
        assertThat(hc.get("CapDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(hc.get("Devices").toString()).isEqualTo("[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":"
                + "\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"},{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":"
                + "\"/dev/xnull\",\"CgroupPermissions\":\"r\"}]");
        assertThat(hc.get("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges\",\"apparmor=unconfined\"]");
        assertThat(hc.get("MaskedPaths").toString()).isEqualTo("[]");
        assertThat(hc.get("ReadonlyPaths").toString()).isEqualTo("[]");
        assertThat(hc.get("Tmpfs").toString()).isEqualTo("{\"/run\":\"rw,size=64m\",\"/scratch\":\"\"}");
        assertThat(hc.get("Sysctls").toString()).isEqualTo("{\"net.ipv4.ip_forward\":\"1\"}");
        assertThat(hc.get("GroupAdd").toString()).isEqualTo("[\"audio\"]");
        assertThat(hc.get("CgroupnsMode").asText()).isEqualTo("private");
        assertThat(hc.get("IpcMode").asText()).isEqualTo("shareable");
        assertThat(hc.get("PidMode").asText()).isEqualTo("host");
        assertThat(hc.get("UTSMode").asText()).isEqualTo("host");
        assertThat(hc.get("Init").asBoolean()).isTrue();
        assertThat(request("--init=false", "bb:1").get("HostConfig").get("Init").asBoolean()).isFalse();
        assertThat(request("bb:1").get("HostConfig").has("Init")).isFalse();
    }

    @Test
    void healthcheck() throws Exception {
        JsonNode h = request("--health-cmd", "wget -q localhost || exit 1", "--health-interval", "1m30s",
                "--health-timeout", "500ms", "--health-retries", "3", "--health-start-period", "2s",
                "--health-start-interval", "1.5s", "bb:1").get("Healthcheck");
        assertThat(h.toString()).isEqualTo("{\"Test\":[\"CMD-SHELL\",\"wget -q localhost || exit 1\"],"
                + "\"Interval\":90000000000,\"Timeout\":500000000,\"StartPeriod\":2000000000,"
                + "\"StartInterval\":1500000000,\"Retries\":3}");
        assertThat(request("--no-healthcheck", "bb:1").get("Healthcheck").toString())
                .isEqualTo("{\"Test\":[\"NONE\"]}");
        assertThat(request("--health-retries", "2", "bb:1").get("Healthcheck").toString())
                .isEqualTo("{\"Retries\":2}");
        assertThat(request("bb:1").has("Healthcheck")).isFalse();
        assertThatThrownBy(() -> request("--no-healthcheck", "--health-cmd", "true", "bb:1"))
                .hasMessage("--no-healthcheck conflicts with --health-* options");
        assertThatThrownBy(() -> request("--health-interval", "5", "bb:1")).hasMessage(
                "invalid argument \"5\" for \"--health-interval\" flag: time: missing unit in duration \"5\"");
    }

    @Test
    void networkingAndDns() throws Exception {
        JsonNode r = request("--network", "appnet", "--network-alias", "web", "--network-alias", "www", "--ip",
                "172.30.100.104", "--mac-address", "92:d0:c6:0a:29:33", "-P", "--expose", "80", "--expose",
                "7000-7001/udp", "-p", "8080:80", "--dns", "10.0.0.2", "--dns", "2001:db8:0:0:0:0:0:1",
                "--dns-search", "example.com", "--dns-option", "ndots:2", "--add-host", "db:10.0.0.5",
                "--add-host", "gw=host-gateway", "--add-host", "v6=[::1]", "bb:1");
        JsonNode hc = r.get("HostConfig");
        assertThat(r.get("ExposedPorts").toString())
                .isEqualTo("{\"80/tcp\":{},\"7000/udp\":{},\"7001/udp\":{}}");
        assertThat(hc.get("PublishAllPorts").asBoolean()).isTrue();
        assertThat(hc.get("Dns").toString()).isEqualTo("[\"10.0.0.2\",\"2001:db8::1\"]");
        assertThat(hc.get("DnsSearch").toString()).isEqualTo("[\"example.com\"]");
        assertThat(hc.get("DnsOptions").toString()).isEqualTo("[\"ndots:2\"]");
        assertThat(hc.get("ExtraHosts").toString())
                .isEqualTo("[\"db:10.0.0.5\",\"gw:host-gateway\",\"v6:::1\"]");
        assertThat(r.get("NetworkingConfig").get("EndpointsConfig").get("appnet").toString())
                .isEqualTo("{\"Aliases\":[\"web\",\"www\"],\"IPAMConfig\":{\"IPv4Address\":\"172.30.100.104\"},"
                        + "\"MacAddress\":\"92:d0:c6:0a:29:33\"}");
        assertThatThrownBy(() -> request("--network-alias", "web", "bb:1"))
                .hasMessage("network-scoped aliases are only supported for user-defined networks");
        assertThat(request("--network", "v6net", "--ip6", "2001:DB8:0:0::33", "bb:1").get("NetworkingConfig")
                .get("EndpointsConfig").get("v6net").toString())
                .isEqualTo("{\"IPAMConfig\":{\"IPv6Address\":\"2001:db8::33\"}}");
        assertThatThrownBy(() -> request("--network", "v6net", "--ip6", "10.0.0.1", "bb:1"))
                .hasMessage("invalid IPv6 address: 10.0.0.1");
        assertThatThrownBy(() -> request("--dns", "dns.example", "bb:1")).hasMessage(
                "invalid argument \"dns.example\" for \"--dns\" flag: IP address is not correctly formatted: "
                        + "dns.example");
        assertThatThrownBy(() -> request("--add-host", "db", "bb:1"))
                .hasMessage("invalid argument \"db\" for \"--add-host\" flag: bad format for add-host: \"db\"");
    }

    @Test
    void filesLoggingAndConfig() throws Exception {
        Path envFile = Files.writeString(tmp.resolve("env"), "\uFEFF# comment\n  A=1\nB= spaced \nHOME_ENV\nMISSING\n\n");
        Path labelFile = Files.writeString(tmp.resolve("labels"), "team=core\nbare\n");
        JsonNode r = request("--env-file", envFile.toString(), "-e", "A=2", "--label-file", labelFile.toString(),
                "-l", "tier=web", "--log-driver", "json-file", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
                "--domainname", "example.org", "--stop-signal", "SIGINT", "--stop-timeout", "3", "bb:1");
        assertThat(r.get("Env").toString()).isEqualTo("[\"A=1\",\"B= spaced \",\"HOME_ENV=from-host\",\"A=2\"]");
        assertThat(r.get("Labels").toString()).isEqualTo("{\"team\":\"core\",\"tier\":\"web\"}");
        assertThat(r.get("Domainname").asText()).isEqualTo("example.org");
        assertThat(r.get("StopSignal").asText()).isEqualTo("SIGINT");
        assertThat(r.get("StopTimeout").asInt()).isEqualTo(3);
        assertThat(r.get("HostConfig").get("LogConfig").toString())
                .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\",\"max-file\":\"3\"}}");
    }

    @Test
    void valueParsers() {
        assertThat(FlagValues.ramInBytes("-m", "1024")).isEqualTo(1024);
        assertThat(FlagValues.ramInBytes("-m", "512k")).isEqualTo(512L << 10);
        assertThat(FlagValues.ramInBytes("-m", "2GB")).isEqualTo(2L << 30);
        assertThat(FlagValues.ramInBytes("-m", "1MiB")).isEqualTo(1L << 20);
        assertThatThrownBy(() -> FlagValues.ramInBytes("-m, --memory", "64x"))
                .hasMessage("invalid argument \"64x\" for \"-m, --memory\" flag: invalid size: '64x'");
        assertThat(FlagValues.duration("d", "1h2m3s")).isEqualTo(3_723_000_000_000L);
        assertThat(FlagValues.duration("d", "0")).isZero();
        assertThat(FlagValues.duration("d", "250us")).isEqualTo(250_000);
        assertThatThrownBy(() -> FlagValues.duration("d", "3x")).hasMessageContaining("unknown unit \"x\"");
        assertThat(FlagValues.nanoCpus("--cpus", "0.000000001")).isEqualTo(1);
        assertThatThrownBy(() -> FlagValues.nanoCpus("--cpus", "0.0000000001"))
                .hasMessageEndingWith("value is too precise");
        assertThatThrownBy(() -> FlagValues.ulimit("--ulimit", "nofile=10:5"))
                .hasMessageEndingWith("ulimit soft limit must be less than or equal to hard limit: 10 > 5");
        assertThatThrownBy(() -> FlagValues.ulimit("--ulimit", "bogus=1"))
                .hasMessageEndingWith("invalid ulimit type: bogus");
        assertThatThrownBy(() -> FlagValues.sysctl("--sysctl", "kernel.hostname=x"))
                .hasMessageEndingWith("sysctl 'kernel.hostname=x' is not allowed");
        assertThat(FlagValues.capabilities(List.of("ALL", "chown"), List.of("chown", "net_raw")))
                .isEqualTo(List.of(List.of("ALL"), List.of("CAP_CHOWN", "CAP_NET_RAW")));
        assertThat(FlagValues.device("--device", "/dev/sda:rw")).isEqualTo(
                Map.of("PathOnHost", "/dev/sda", "PathInContainer", "/dev/sda", "CgroupPermissions", "rw"));
        assertThatThrownBy(() -> request("--pids-limit", "x", "bb"))
                .hasMessage("invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> request("-c", "99999999999999999999", "bb"))
                .hasMessage("invalid argument \"99999999999999999999\" for \"-c, --cpu-shares\" flag:"
                        + " strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
        assertThat(FlagValues.expose("53/udp")).containsExactly("53/udp");
        assertThatThrownBy(() -> FlagValues.expose("80:80")).hasMessage("invalid port format for --expose: 80:80");
    }
}
