package dev.wharf.it.kit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a black-box integration test class: one {@link WharfdProcess} for the class, with the
 * busybox test image imported, a root guard, a leak check after the class, and the daemon's log
 * printed when a test fails. Test methods may take {@link WharfdProcess}, {@link Api},
 * {@link DockerCli} or {@link WharfCli} parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WharfExtension.class)
@Timeout(120)
public @interface WharfIT {
    /** Extra wharfd flags for this class's daemon (e.g. {@code --registry-certs-dir}). */
    String[] daemonArgs() default {};
}
