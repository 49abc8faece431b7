package org.example.nabla.plugin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin may use the api and the model library but never names a provider: the {@code nabla} command
 * puts one on the module path, and swapping it must not touch the plugin.
 */
class PluginArchitectureTest {
    @Test
    void thePluginImportsNoProvider() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.example.nabla.plugin");
        assertTrue(classes.contain(RegressionFamily.class.getName()) && classes.contain(MomentumTrainer.class.getName()),
                "the plugin's classes are imported");
        noClasses().that().resideInAPackage("org.example..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.provider..")
                .check(classes);
        noClasses().that().resideInAPackage("org.example..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.example..", "dev.nabla.api..",
                        "dev.nabla.models..", "java..")
                .check(classes);
    }
}
