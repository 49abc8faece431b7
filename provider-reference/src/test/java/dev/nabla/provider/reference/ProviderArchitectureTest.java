package dev.nabla.provider.reference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A provider uses the api and the JDK only — never another provider, the tck, or models. */
class ProviderArchitectureTest {
    @Test
    void referenceProviderUsesApiOnly() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nabla.provider.reference");
        assertTrue(classes.size() > 5, "imported only " + classes.size() + " classes");
        noClasses().that().resideInAPackage("dev.nabla.provider.reference..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.nabla.provider.reference..", "dev.nabla.api..", "java..")
                .check(classes);
    }
}
