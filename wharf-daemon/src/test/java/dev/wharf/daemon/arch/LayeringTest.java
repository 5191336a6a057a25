package dev.wharf.daemon.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the daemon's layers apart, checked on every build: routes call services,
 * services call the store and the adapters, nothing calls upward, and the engine knows neither
 * HTTP nor SQL. (Maven keeps the client and the CLI off the server modules: they do not depend on
 * them.)
 */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.wharf");
    }

    @Test
    void layers_dependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Daemon").definedBy("dev.wharf.daemon..")
                .layer("Engine").definedBy("dev.wharf.engine..")
                .layer("Adapters").definedBy("dev.wharf.store..", "dev.wharf.runtime..", "dev.wharf.archive..",
                        "dev.wharf.registry..", "dev.wharf.builder..")
                .layer("Model").definedBy("dev.wharf.model..", "dev.wharf.oci..", "dev.wharf.base..")
                .whereLayer("Daemon").mayNotBeAccessedByAnyLayer()
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Daemon")
                .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Daemon", "Engine", "Adapters")
                .whereLayer("Model").mayOnlyBeAccessedByLayers("Daemon", "Engine", "Adapters")
                .check(classes);
    }

    @Test
    void engine_knowsNoHttpServerAndNoSql() {
        noClasses().that().resideInAPackage("dev.wharf.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.sql..", "org.sqlite..")
                .because("the engine is called by routes and (later) a CRI front end alike; SQL lives in the store")
                .check(classes);
    }

    @Test
    void routes_touchNoFilesProcessesOrSql() {
        noClasses().that().resideInAPackage("dev.wharf.daemon.route..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.wharf.store..", "dev.wharf.runtime..",
                        "java.sql..")
                .because("routes parse, call one service and render")
                .check(classes);
    }

    @Test
    void adapters_doNotCallEachOtherInCycles() {
        slices().matching("dev.wharf.(*)..").should().beFreeOfCycles().check(classes);
    }
}
