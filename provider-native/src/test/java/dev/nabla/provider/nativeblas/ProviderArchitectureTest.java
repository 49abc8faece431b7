package dev.nabla.provider.nativeblas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The native provider's main code uses the JDK and the api only — never another provider, the tck,
 * models, or the bytedeco jar it reads libraries from — and its packages keep one direction:
 * kernels never see how BLAS is loaded, memory never sees kernels or BLAS.
 */
class ProviderArchitectureTest {
    private static final String ROOT = "dev.nabla.provider.nativeblas";

    private static JavaClasses classes() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertTrue(classes.size() > 10, "imported only " + classes.size() + " classes");
        return classes;
    }

    @Test
    void nativeProviderUsesOnlyTheJdkAndTheApi() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages(ROOT + "..", "dev.nabla.api..", "java..")
                .check(classes());
    }

    @Test
    void kernelsDoNotKnowHowBlasIsLoaded() {
        noClasses().that().resideInAPackage(ROOT + ".kernels..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".blas..", ROOT + ".bench..")
                .check(classes());
    }

    @Test
    void memoryDependsOnNothingElseOfTheProvider() {
        noClasses().that().resideInAPackage(ROOT + ".memory..")
                .should().dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".kernels..", ROOT + ".blas..", ROOT + ".bench..")
                .check(classes());
    }
}
