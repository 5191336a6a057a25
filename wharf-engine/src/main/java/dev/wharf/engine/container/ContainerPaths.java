package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import java.nio.file.Path;

/**
 * Where a container's files live.
 * <pre>
 *   &lt;data-root&gt;/containers/&lt;id&gt;/upper, work       the overlay's writable layer
 *   &lt;data-root&gt;/containers/&lt;id&gt;/container.log     stdout/stderr, k8s-file format, written by conmon
 *   &lt;data-root&gt;/containers/&lt;id&gt;/hosts, hostname, resolv.conf
 *   &lt;exec-root&gt;/containers/&lt;id&gt;/config.json       the OCI bundle; conmon's ctl/winsz FIFOs and attach socket
 *   &lt;exec-root&gt;/containers/&lt;id&gt;/rootfs            the merged overlay mount
 *   &lt;exec-root&gt;/exits/&lt;id&gt;                         conmon's exit file ({@link #exitFile})
 *   &lt;exec-root&gt;/socks/&lt;id&gt; -&gt; bundle                conmon's short link to the attach socket
 *   &lt;data-root&gt;/containers-trash/&lt;id&gt;-&lt;n&gt;         a removed container's files, deleted in the background
 *                                                 (and at the next start if a stop cuts that short)
 * </pre>
 */
record ContainerPaths(Path dataRoot, Path execRoot) {

    Path dir(ContainerId id) {
        return dataRoot.resolve("containers").resolve(id.value());
    }

    /** Where a removed container's directory is renamed to before its files are deleted. */
    Path trash() {
        return dataRoot.resolve("containers-trash");
    }

    Path upper(ContainerId id) {
        return dir(id).resolve("upper");
    }

    Path work(ContainerId id) {
        return dir(id).resolve("work");
    }

    Path log(ContainerId id) {
        return dir(id).resolve("container.log");
    }

    Path bundle(ContainerId id) {
        return execRoot.resolve("containers").resolve(id.value());
    }

    Path rootfs(ContainerId id) {
        return bundle(id).resolve("rootfs");
    }

    Path conmonPid(ContainerId id) {
        return bundle(id).resolve("conmon.pid");
    }

    Path exitDir() {
        return execRoot.resolve("exits");
    }

    /** The exit file conmon writes when the container's process ends. */
    Path exitFile(ContainerId id) {
        return exitDir().resolve(id.value());
    }

    Path socketDir() {
        return execRoot.resolve("socks");
    }

    Path runcRoot() {
        return execRoot.resolve("runc");
    }
}
