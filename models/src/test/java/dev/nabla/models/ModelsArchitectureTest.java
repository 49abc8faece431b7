package dev.nabla.models;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model library sees the JDK, the api and itself — never a provider, the tck or the launcher. */
class ModelsArchitectureTest {
    @Test
    void modelsDependsOnlyOnTheJdkTheApiAndItself() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nabla.models");
        assertTrue(classes.size() > 30, "imported only " + classes.size() + " classes");
        noClasses().that().resideInAPackage("dev.nabla.models..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.nabla.models..", "dev.nabla.api..", "java..")
                .check(classes);
    }
}
