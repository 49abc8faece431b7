package dev.nabla.provider.tensorflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The provider's main code uses the JDK, the api and TensorFlow Java only — never another provider,
 * the tck, models, or JavaCPP's own types directly (TensorFlow's {@code c_api} bindings are the one
 * door to the native library).
 */
class ProviderArchitectureTest {
    @Test
    void tensorflowProviderUsesOnlyTheJdkTheApiAndTensorflow() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nabla.provider.tensorflow");
        assertTrue(classes.size() > 8, "imported only " + classes.size() + " classes");
        noClasses().that().resideInAPackage("dev.nabla.provider.tensorflow..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.nabla.provider.tensorflow..", "dev.nabla.api..", "java..",
                        "org.tensorflow..")
                .check(classes);
    }
}
