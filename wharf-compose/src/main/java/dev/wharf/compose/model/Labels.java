package dev.wharf.compose.model;

/**
 * The labels Docker Compose puts on what it creates ({@code docker/compose pkg/api/labels.go}),
 * which Wharf sets the same way so each tool finds the other's projects.
 */
public final class Labels {

    public static final String PROJECT = "com.docker.compose.project";
    public static final String SERVICE = "com.docker.compose.service";
    public static final String CONFIG_HASH = "com.docker.compose.config-hash";
    public static final String CONTAINER_NUMBER = "com.docker.compose.container-number";
    public static final String VOLUME = "com.docker.compose.volume";
    public static final String NETWORK = "com.docker.compose.network";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String ENVIRONMENT_FILE = "com.docker.compose.project.environment_file";
    public static final String ONEOFF = "com.docker.compose.oneoff";
    public static final String SLUG = "com.docker.compose.slug";
    public static final String IMAGE = "com.docker.compose.image";
    public static final String DEPENDS_ON = "com.docker.compose.depends_on";
    public static final String VERSION = "com.docker.compose.version";
    public static final String REPLACE = "com.docker.compose.replace";

    /** The Compose version Wharf declares in {@link #VERSION}: the v2 line whose labels it writes. */
    public static final String COMPOSE_VERSION = "2.29.0";

    private Labels() {
    }
}
