package dev.wharf.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container's state as persisted (the {@code state} JSON column); rewritten on every
 * transition, which {@link ContainerStatus} allows or refuses.
 */
record StateRecord(
        @JsonProperty("status") ContainerStatus status,
        @JsonProperty("pid") int pid,
        @JsonProperty("exitCode") int exitCode,
        @JsonProperty("error") String error,
        @JsonProperty("startedAt") String startedAt,
        @JsonProperty("finishedAt") String finishedAt,
        @JsonProperty("oomKilled") boolean oomKilled,
        @JsonProperty("restartCount") int restartCount,
        @JsonProperty("conmonPid") int conmonPid,
        @JsonProperty("manuallyStopped") boolean manuallyStopped) {

    static final String ZERO = dev.wharf.engine.common.Times.ZERO;

    static StateRecord created() {
        return new StateRecord(ContainerStatus.CREATED, 0, 0, "", ZERO, ZERO, false, 0, 0, false);
    }

    boolean running() {
        return status.running();
    }

    boolean is(ContainerStatus s) {
        return status == s;
    }

    StateRecord started(int pid, int conmonPid, String at) {
        return new StateRecord(ContainerStatus.RUNNING, pid, 0, "", at, finishedAt, false, restartCount, conmonPid,
                false);
    }

    StateRecord exited(int code, String at, boolean oom) {
        return new StateRecord(ContainerStatus.EXITED, 0, code, error, startedAt, at, oom, restartCount, 0,
                manuallyStopped);
    }

    StateRecord failedStart(int code, String message, String at) {
        return new StateRecord(status == ContainerStatus.CREATED ? ContainerStatus.CREATED : ContainerStatus.EXITED,
                0, code, message, startedAt, at, false, restartCount, 0, manuallyStopped);
    }

    StateRecord withStatus(ContainerStatus s) {
        return new StateRecord(s, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, conmonPid,
                manuallyStopped);
    }

    /** A restart policy's restart: one more in RestartCount. */
    StateRecord withRestartCount(int n) {
        return new StateRecord(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, n, conmonPid,
                manuallyStopped);
    }

    /** A docker stop or kill: the restart policy waits for the next start. */
    StateRecord withManuallyStopped(boolean b) {
        return new StateRecord(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, conmonPid,
                b);
    }
}
