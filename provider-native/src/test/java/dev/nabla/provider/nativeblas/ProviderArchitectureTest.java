package dev.nabla.provider.nativeblas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The native provider's main code uses the JDK and the api only — never another provider, the tck,
 * models, or the bytedeco jar it reads libraries from; the kernels alone may use the Vector API
 * ({@code jdk.incubator.vector}), behind one class — and its packages keep one direction:
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
        // the Vector API (an incubator module) is allowed in the kernels, and checked there below
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackage(ROOT + ".kernels")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages(ROOT + "..", "dev.nabla.api..", "java..")
                .check(classes());
        noClasses().that().resideInAPackage(ROOT + ".kernels")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages(ROOT + "..", "dev.nabla.api..", "java..", "jdk.incubator.vector..")
                .check(classes());
    }

    /**
     * Only {@code VectorRows} and {@code VectorFusedRows} (the fused kernels' rows) name the incubator module, and
     * only {@code VectorSupport} (which checks that the module is there first) names them: the backend loads
     * without the module.
     */
    @Test
    void theVectorApiStaysBehindOneDoor() {
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".kernels.VectorRows")
                .and().doNotHaveFullyQualifiedName(ROOT + ".kernels.VectorFusedRows")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .check(classes());
        for (String behind : new String[] {"VectorRows", "VectorFusedRows"}) {
            noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".kernels.VectorSupport")
                    .and().doNotHaveFullyQualifiedName(ROOT + ".kernels." + behind)
                    .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".kernels." + behind)
                    .check(classes());
        }
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
