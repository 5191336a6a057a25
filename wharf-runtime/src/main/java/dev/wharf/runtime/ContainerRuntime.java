package dev.wharf.runtime;

import dev.wharf.base.id.ContainerId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The OCI runtime as the engine uses it: conmon plus runc in {@link OciRuntime}, an in-memory fake
 * in this module's test jar. It makes no state decisions (podman {@code libpod/oci.go}): the engine
 * owns the container state machine and calls these verbs in the order it decides. A container is
 * named by its {@link ContainerId}, whose value is runc's and conmon's container ID.
 */
public interface ContainerRuntime {

    /**
     * Starts the container's monitor and has the runtime create it; returns its init pid. The
     * monitor writes the exit code to {@code exitDir/id} when the process ends.
     *
     * @throws RuntimeStartException with the runtime's message when the container cannot be created
     */
    int create(Launch l);

    /** Runs the process {@link #create} prepared. */
    void start(ContainerId id);

    /** Sends {@code signal}; with {@code all}, to every process of the container. */
    void kill(ContainerId id, int signal, boolean all);

    /** Deletes the runtime's container; one the runtime does not know is not an error. */
    void delete(ContainerId id, boolean force);

    Optional<RuncState> state(ContainerId id);

    /** Freezes every process of the container. */
    void pause(ContainerId id);

    void resume(ContainerId id);

    /** The host's ps output for the container's processes. */
    String ps(ContainerId id, List<String> psArgs);

    /** New cgroup limits (an OCI {@code Resources} JSON file) for a running container. */
    void update(ContainerId id, Path resourcesJson);

    /** Resizes a TTY container's terminal through its monitor. */
    void resize(Path bundle, int height, int width);

    /**
     * Connects to the container monitor's attach socket, {@code bundle/attach}; an exec's socket is
     * its {@link ExecHandle#attach()}.
     */
    AttachSocket attach(Path bundle) throws IOException;

    /** Launches a process in a running container, ready for the caller to attach and start. */
    ExecHandle exec(ExecLaunch l);

    /** The pid the monitor wrote to its pid file, if the file exists. */
    Optional<Integer> conmonPid(Path conmonPidFile);

    /** Whether {@code pid} is a live monitor (not a reused pid). */
    boolean conmonAlive(int pid);
}
