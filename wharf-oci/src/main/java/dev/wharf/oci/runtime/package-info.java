/**
 * OCI runtime-spec records ({@code config.json} of a bundle), with the field names of
 * opencontainers/runtime-spec 1.0.2. Unset fields are omitted from JSON.
 */
package dev.wharf.oci.runtime;
