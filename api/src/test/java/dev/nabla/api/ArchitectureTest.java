package dev.nabla.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the api's shape: java.* only, and no cycles between its packages. */
class ArchitectureTest {
    private static JavaClasses api;

    @BeforeAll
    static void importApi() {
        api = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nabla.api");
    }

    @Test
    void apiIsNotEmpty() {
        // guards the rules below against passing vacuously on an empty import
        org.junit.jupiter.api.Assertions.assertTrue(api.size() > 40, "imported only " + api.size() + " classes");
    }

    @Test
    void apiDependsOnJavaOnly() {
        noClasses().that().resideInAPackage("dev.nabla.api..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.nabla.api..", "java..")
                .because("the api module requires java.base only")
                .check(api);
    }

    @Test
    void apiPackagesHaveNoCycles() {
        slices().matching("dev.nabla.(api).(**)").should().beFreeOfCycles().check(api);
        slices().matching("dev.nabla.api.(*)..").should().beFreeOfCycles().check(api);
    }

    @Test
    void tensorLayerDoesNotKnowTheSpis() {
        noClasses().that().resideInAnyPackage("dev.nabla.api.tensor..", "dev.nabla.api.backend..",
                        "dev.nabla.api.types..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.api.spi..")
                .check(api);
    }
}
