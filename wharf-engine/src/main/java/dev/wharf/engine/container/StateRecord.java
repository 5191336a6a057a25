package dev.wharf.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A container's state as persisted; rewritten on every transition. Status is one of created,
 * running, paused, restarting, removing, exited, dead.
 */
record StateRecord(
        @JsonProperty("status") String status,
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
        return new StateRecord("created", 0, 0, "", ZERO, ZERO, false, 0, 0, false);
    }

    boolean running() {
        return status.equals("running") || status.equals("paused") || status.equals("restarting");
    }

    StateRecord started(int pid, int conmonPid, String at) {
        return new StateRecord("running", pid, 0, "", at, finishedAt, false, restartCount, conmonPid, false);
    }

    StateRecord exited(int code, String at, boolean oom) {
        return new StateRecord("exited", 0, code, error, startedAt, at, oom, restartCount, 0, manuallyStopped);
    }

    StateRecord failedStart(int code, String message, String at) {
        return new StateRecord(status.equals("created") ? "created" : "exited", 0, code, message, startedAt, at,
                false, restartCount, 0, manuallyStopped);
    }

    StateRecord withStatus(String s) {
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
