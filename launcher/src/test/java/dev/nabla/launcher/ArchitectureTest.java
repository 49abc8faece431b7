package dev.nabla.launcher;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The wiring rules: only the launcher knows Guice, and inside it only the wiring package and the entry
 * point do (commands see {@code jakarta.inject} alone); the launcher never names a backend provider's
 * classes (backends are found through {@code ServiceLoader}, so swapping jars needs no code change); and its
 * commands know no model family (families are found through {@code ServiceLoader} too; only the benchmark
 * workloads build flows by name).
 */
class ArchitectureTest {
    private static final JavaClasses NABLA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.nabla");

    @Test
    void theRulesSeeEveryModule() {
        for (String c : java.util.List.of("dev.nabla.api.Nabla", "dev.nabla.models.flows.Flows",
                "dev.nabla.launcher.wiring.LauncherModule", "dev.nabla.launcher.command.TrainCommand")) {
            org.junit.jupiter.api.Assertions.assertTrue(NABLA.contain(c), "imported: " + c);
        }
        org.junit.jupiter.api.Assertions.assertTrue(NABLA.stream().anyMatch(c -> c.getPackageName().startsWith("dev.nabla.provider")),
                "the providers' classes are imported too");
    }

    @Test
    void noModuleButTheLauncherKnowsGuice() {
        noClasses().that().resideOutsideOfPackage("dev.nabla.launcher..")
                .should().dependOnClassesThat().resideInAPackage("com.google.inject..")
                .check(NABLA);
    }

    @Test
    void insideTheLauncherOnlyTheWiringAndTheEntryPointKnowGuice() {
        noClasses().that().resideInAPackage("dev.nabla.launcher..")
                .and().resideOutsideOfPackages("dev.nabla.launcher.wiring")
                .and().doNotHaveFullyQualifiedName(Main.class.getName())
                .should().dependOnClassesThat().resideInAPackage("com.google.inject..")
                .check(NABLA);
    }

    @Test
    void theLauncherNamesNoProvider() {
        noClasses().that().resideInAPackage("dev.nabla.launcher..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.provider..")
                .check(NABLA);
    }

    @Test
    void theCommandsKnowNoModelFamily() {
        noClasses().that().resideInAPackage("dev.nabla.launcher..")
                .and().resideOutsideOfPackage("dev.nabla.launcher.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.models.flows..")
                .check(NABLA);
    }
}
