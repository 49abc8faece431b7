package dev.nabla.models;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.nabla.models.family.ModelFamily;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model library sees the JDK, the api and itself — never a provider, the tck or the launcher — and
 * its layers point down: the training core ({@code train}, and the family SPI {@code family}) imports no
 * model family, and no family looks services up (a family is handed its parts). A family package is the
 * package of a {@link ModelFamily} implementation, with its subpackages.
 */
class ModelsArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.nabla.models");

    /**
     * The packages of the model families (of each concrete {@link ModelFamily}; the abstract
     * {@code family.TableFamily} is core), as ArchUnit patterns ({@code dev.nabla.models.flows..}).
     */
    static String[] familyPackages() {
        Set<String> p = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            if (!c.isInterface() && !c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT)
                    && c.isAssignableTo(ModelFamily.class)) {
                p.add(c.getPackageName() + "..");
            }
        }
        return p.toArray(String[]::new);
    }

    @Test
    void modelsDependsOnlyOnTheJdkTheApiAndItself() {
        assertTrue(CLASSES.size() > 30, "imported only " + CLASSES.size() + " classes");
        noClasses().that().resideInAPackage("dev.nabla.models..").and().resideOutsideOfPackage("dev.nabla.models.image..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.nabla.models..", "dev.nabla.api..", "java..")
                .check(CLASSES);
    }

    @Test
    void onlyTheImageToolingUsesEjml() {
        noClasses().that().resideInAPackage("dev.nabla.models.image..")
                .should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.nabla.models..", "dev.nabla.api..", "java..", "org.ejml..")
                .check(CLASSES);
    }

    @Test
    void theFamilyPackagesAreExactlyThese() {
        assertEquals(java.util.List.of("dev.nabla.models.attention..",
                        "dev.nabla.models.classify..",
                        "dev.nabla.models.fewshot..",
                        "dev.nabla.models.flows..",
                        "dev.nabla.models.gan..",
                        "dev.nabla.models.memory..",
                        "dev.nabla.models.recurrent..",
                        "dev.nabla.models.transformer..",
                        "dev.nabla.models.vae.."),
                java.util.List.of(familyPackages()));
    }

    @Test
    void theImageToolingImportsNoFamily() {
        noClasses().that().resideInAPackage("dev.nabla.models.image..")
                .should().dependOnClassesThat().resideInAnyPackage(familyPackages())
                .check(CLASSES);
    }

    @Test
    void trainingImportsNoFamily() {
        noClasses().that().resideInAnyPackage("dev.nabla.models.train..", "dev.nabla.models.family..",
                        "dev.nabla.models.data..", "dev.nabla.models.nn..", "dev.nabla.models.optim..",
                        "dev.nabla.models.loss..", "dev.nabla.models.checkpoint..", "dev.nabla.models.image..")
                .should().dependOnClassesThat().resideInAnyPackage(familyPackages())
                .check(CLASSES);
    }

    @Test
    void noFamilyLooksServicesUp() {
        noClasses().that().resideInAnyPackage(familyPackages())
                .should().dependOnClassesThat().haveFullyQualifiedName(java.util.ServiceLoader.class.getName())
                .orShould().dependOnClassesThat().resideInAPackage("dev.nabla.models.spi..")
                .check(CLASSES);
    }
}
