/**
 * The OCI runtime spec of a container and of an exec process, with Docker's defaults
 * ({@link dev.wharf.engine.spec.SpecGenerator}, {@link dev.wharf.engine.spec.Capabilities},
 * {@link dev.wharf.engine.spec.Seccomp}). Pure functions of their input: the runtime adapters in
 * wharf-runtime only run what is built here, and read the host facts it needs.
 */
package dev.wharf.engine.spec;
