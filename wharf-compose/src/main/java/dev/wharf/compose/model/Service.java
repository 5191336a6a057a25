package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One service of a project, normalized: {@code env_file}s are read into {@code environment},
 * {@code mem_limit}/{@code cpus} and {@code deploy.resources} are one {@link Resources}, relative
 * host paths are absolute, and short syntaxes are in their long form. Serialized with snake_case
 * keys in a fixed order: that JSON is what {@code config} prints and what the config hash covers.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder(alphabetic = true)
public record Service(
        @JsonIgnore String name,
        @JsonProperty("image") String image,
        @JsonProperty("build") Build build,
        @JsonProperty("command") List<String> command,
        @JsonProperty("entrypoint") List<String> entrypoint,
        @JsonProperty("environment") Map<String, String> environment,
        @JsonProperty("ports") List<Port> ports,
        @JsonProperty("expose") List<String> expose,
        @JsonProperty("volumes") List<Mount> volumes,
        @JsonProperty("tmpfs") List<String> tmpfs,
        @JsonProperty("networks") Map<String, ServiceNetwork> networks,
        @JsonProperty("network_mode") String networkMode,
        @JsonProperty("depends_on") Map<String, Dependency> dependsOn,
        @JsonProperty("healthcheck") Healthcheck healthcheck,
        @JsonProperty("restart") String restart,
        @JsonProperty("user") String user,
        @JsonProperty("working_dir") String workingDir,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("container_name") String containerName,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("domainname") String domainname,
        @JsonProperty("extra_hosts") List<String> extraHosts,
        @JsonProperty("dns") List<String> dns,
        @JsonProperty("dns_search") List<String> dnsSearch,
        @JsonProperty("dns_opt") List<String> dnsOpt,
        @JsonProperty("cap_add") List<String> capAdd,
        @JsonProperty("cap_drop") List<String> capDrop,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("privileged") boolean privileged,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("read_only") boolean readOnly,
        @JsonProperty("ulimits") Map<String, Ulimit> ulimits,
        @JsonProperty("resources") Resources resources,
        @JsonProperty("deploy") Deploy deploy,
        @JsonProperty("scale") Integer scale,
        @JsonProperty("profiles") List<String> profiles,
        @JsonProperty("init") Boolean init,
        @JsonProperty("stop_signal") String stopSignal,
        @JsonProperty("stop_grace_period") @JsonSerialize(using = GoDuration.Writer.class) Duration stopGracePeriod,
        @JsonProperty("logging") Logging logging,
        @JsonProperty("secrets") List<FileMount> secrets,
        @JsonProperty("configs") List<FileMount> configs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("tty") boolean tty,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("stdin_open") boolean stdinOpen,
        @JsonProperty("shm_size") Long shmSize,
        @JsonProperty("sysctls") Map<String, String> sysctls,
        @JsonProperty("security_opt") List<String> securityOpt,
        @JsonProperty("group_add") List<String> groupAdd,
        @JsonProperty("pid") String pid,
        @JsonProperty("ipc") String ipc,
        @JsonProperty("pull_policy") String pullPolicy,
        @JsonProperty("platform") String platform,
        @JsonProperty("runtime") String runtime,
        @JsonProperty("volumes_from") List<String> volumesFrom,
        @JsonProperty("oom_score_adj") Integer oomScoreAdj,
        @JsonProperty("mac_address") String macAddress,
        @JsonProperty("links") List<String> links,
        @JsonProperty("external_links") List<String> externalLinks) {

    public Service withNetworks(Map<String, ServiceNetwork> v) {
        return new Service(name, image, build, command, entrypoint, environment, ports, expose, volumes, tmpfs, v, networkMode, dependsOn, healthcheck, restart, user, workingDir, labels, containerName, hostname, domainname, extraHosts, dns, dnsSearch, dnsOpt, capAdd, capDrop, privileged, readOnly, ulimits, resources, deploy, scale, profiles, init, stopSignal, stopGracePeriod, logging, secrets, configs, tty, stdinOpen, shmSize, sysctls, securityOpt, groupAdd, pid, ipc, pullPolicy, platform, runtime, volumesFrom, oomScoreAdj, macAddress, links, externalLinks);
    }

    /** The number of containers {@code up} runs: {@code deploy.replicas}, else {@code scale}, else 1. */
    public int replicas() {
        if (deploy != null && deploy.replicas() != null) {
            return deploy.replicas();
        }
        return scale != null ? scale : 1;
    }

    /** The image the containers run: {@code image:}, or {@code project-service} for a build without one. */
    public String imageName(String project) {
        return image != null && !image.isEmpty() ? image : project + "-" + name;
    }

    public boolean hasHealthcheck() {
        return healthcheck != null && !healthcheck.disable() && healthcheck.test() != null
                && !healthcheck.test().isEmpty() && !"NONE".equals(healthcheck.test().getFirst());
    }

    /** {@code build:} with its context (made absolute) and Dockerfile. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Build(@JsonProperty("context") String context, @JsonProperty("dockerfile") String dockerfile,
            @JsonProperty("args") Map<String, String> args, @JsonProperty("target") String target,
            @JsonProperty("labels") Map<String, String> labels, @JsonProperty("network") String network,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("no_cache") boolean noCache, @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("pull") boolean pull,
            @JsonProperty("shm_size") Long shmSize, @JsonProperty("extra_hosts") List<String> extraHosts,
            @JsonProperty("cache_from") List<String> cacheFrom) {
    }

    /** A published or exposed port, in the long syntax. {@code published} is null for a random host port. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Port(@JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("target") int target, @JsonProperty("published") String published,
            @JsonProperty("host_ip") String hostIp, @JsonProperty("protocol") String protocol,
            @JsonProperty("mode") String mode) {
    }

    /** A volume, bind or tmpfs mount, in the long syntax. {@code source} is absolute for binds. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Mount(@JsonProperty("type") String type, @JsonProperty("source") String source,
            @JsonProperty("target") String target, @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("read_only") boolean readOnly,
            @JsonProperty("bind") Map<String, Object> bind, @JsonProperty("volume") Map<String, Object> volume,
            @JsonProperty("tmpfs") Map<String, Object> tmpfs, @JsonProperty("consistency") String consistency) {
    }

    /** The service's settings on one network. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ServiceNetwork(@JsonProperty("aliases") List<String> aliases,
            @JsonProperty("ipv4_address") String ipv4Address, @JsonProperty("ipv6_address") String ipv6Address,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("priority") int priority) {
        public static final ServiceNetwork DEFAULT = new ServiceNetwork(List.of(), null, null, 0);
    }

    /** {@code depends_on}: the condition to wait for, whether to restart with it, and whether it must exist. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Dependency(@JsonProperty("condition") String condition, @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("restart") boolean restart,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("required") boolean required) {
        public static final String STARTED = "service_started";
        public static final String HEALTHY = "service_healthy";
        public static final String COMPLETED = "service_completed_successfully";
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Healthcheck(@JsonProperty("test") List<String> test,
            @JsonProperty("interval") @JsonSerialize(using = GoDuration.Writer.class) Duration interval,
            @JsonProperty("timeout") @JsonSerialize(using = GoDuration.Writer.class) Duration timeout,
            @JsonProperty("retries") Integer retries,
            @JsonProperty("start_period") @JsonSerialize(using = GoDuration.Writer.class) Duration startPeriod,
            @JsonProperty("start_interval") @JsonSerialize(using = GoDuration.Writer.class) Duration startInterval,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("disable") boolean disable) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Ulimit(@JsonProperty("soft") long soft, @JsonProperty("hard") long hard) {
    }

    /** Limits from {@code mem_limit}, {@code cpus}, … and {@code deploy.resources} (which wins). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(@JsonProperty("memory") Long memory, @JsonProperty("memory_reservation") Long memoryReservation,
            @JsonProperty("memswap_limit") Long memswapLimit, @JsonProperty("nano_cpus") Long nanoCpus,
            @JsonProperty("cpu_shares") Long cpuShares, @JsonProperty("cpuset") String cpuset,
            @JsonProperty("pids_limit") Long pidsLimit) {
        public boolean isEmpty() {
            return memory == null && memoryReservation == null && memswapLimit == null && nanoCpus == null
                    && cpuShares == null && cpuset == null && pidsLimit == null;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Logging(@JsonProperty("driver") String driver, @JsonProperty("options") Map<String, String> options) {
    }

    /** A secret or config a service mounts: source key, target path, and mode. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record FileMount(@JsonProperty("source") String source, @JsonProperty("target") String target,
            @JsonProperty("uid") String uid, @JsonProperty("gid") String gid, @JsonProperty("mode") Integer mode) {
    }
}
