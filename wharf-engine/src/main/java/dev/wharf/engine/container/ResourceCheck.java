package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;

/**
 * The resource checks of moby's {@code verifyPlatformContainerResources} and
 * {@code verifyPlatformContainerSettings} on a create or update request's HostConfig, with
 * Docker's messages (the JSON types are checked by {@link HostOptions#checkIntegers}).
 */
final class ResourceCheck {

    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    private ResourceCheck() {
    }

    /** The range checks; {@code shmSize} is the HostConfig's (null when not given). */
    static void check(HostOptions.Limits r, Long shmSize, long oomScoreAdj) {
        long mem = r.memory();
        long swap = r.memorySwap();
        long reservation = r.memoryReservation();
        if (mem != 0 && mem < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        }
        if (mem > 0 && swap > 0 && swap < mem) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (mem == 0 && swap > 0) {
            throw new InvalidArgumentException(
                    "You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (r.memorySwappiness() != null) {
            long s = r.memorySwappiness();
            if (s != -1 && (s < 0 || s > 100)) {
                throw new InvalidArgumentException("Invalid value: " + s + ", valid memory swappiness range is 0-100");
            }
        }
        if (reservation > 0 && reservation < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory reservation allowed is 6MB");
        }
        if (mem > 0 && reservation > 0 && mem < reservation) {
            throw new InvalidArgumentException(
                    "Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        long nano = r.nanoCpus();
        long period = r.cpuPeriod();
        long quota = r.cpuQuota();
        if (nano > 0 && period > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (nano < 0) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only "
                    + cpus + " CPUs available");
        }
        if (r.cpuShares() < 0) {
            // Docker hands a negative value to the runtime; refuse it here with a clear message.
            throw new InvalidArgumentException("Invalid CPU shares: " + r.cpuShares()
                    + ", the value must not be negative");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException(
                    "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        long blkio = r.blkioWeight();
        if (blkio > 0 && (blkio < 10 || blkio > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        if (shmSize != null && shmSize < 0) {
            throw new InvalidArgumentException("SHM size can not be less than 0");
        }
        long oom = oomScoreAdj;
        if (oom < -1000 || oom > 1000) {
            throw new InvalidArgumentException("Invalid value " + oom + ", range for oom score adj is [-1000, 1000]");
        }
    }
}
