/**
 * Facts a container's OCI spec needs from the host and from the image's root file system: the
 * host's devices ({@link dev.wharf.runtime.spec.HostDevices}) and the user and groups a
 * {@code --user} names ({@link dev.wharf.runtime.spec.UserResolver}). The spec itself, with
 * Docker's defaults and the options' policy, is built by the engine ({@code dev.wharf.engine.spec}).
 */
package dev.wharf.runtime.spec;
