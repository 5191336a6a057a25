/**
 * Adapters for the OCI runtime: {@link dev.wharf.runtime.OciRuntime} (conmon + runc), exit files
 * ({@link dev.wharf.runtime.ExitWatcher}), k8s-file logs ({@link dev.wharf.runtime.LogReader}) and
 * conmon's attach socket ({@link dev.wharf.runtime.AttachSocket}). No policy lives here: the engine
 * owns the container state machine. Needs {@code --enable-native-access=ALL-UNNAMED} (FFM).
 */
package dev.wharf.runtime;
