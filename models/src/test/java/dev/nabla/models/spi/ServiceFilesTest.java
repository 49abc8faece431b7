package dev.nabla.models.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.models.family.ModelFamily;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The models' {@code META-INF/services} files (read when the jar is on the class path, as Spark's
 * executors and {@code spark-submit} run it) name exactly the providers of its {@code module-info}
 * (read on the module path): a family added to one and not the other would be missing from one of the two.
 */
class ServiceFilesTest {
    @Test
    void everyProvidesOfTheModuleIsInItsServiceFileAndNothingElse() throws IOException {
        Module module = ModelFamily.class.getModule();
        ModuleDescriptor descriptor = module.getDescriptor();
        assertNotNull(descriptor, "the tests run on the module path");
        assertTrue(descriptor.provides().size() >= 4, descriptor.provides().toString());
        for (ModuleDescriptor.Provides p : descriptor.provides()) {
            String file = "META-INF/services/" + p.service();
            Set<String> listed = new TreeSet<>();
            try (InputStream in = module.getResourceAsStream(file)) {
                assertNotNull(in, file + " is missing");
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                    String l = line.replaceAll("#.*", "").strip();
                    if (!l.isEmpty()) {
                        listed.add(l);
                    }
                }
            }
            assertEquals(new TreeSet<>(p.providers()), listed, file);
        }
        assertTrue(descriptor.provides().stream().anyMatch(p -> p.service().equals(ModelFamily.class.getName())
                && p.providers().containsAll(List.of("dev.nabla.models.flows.FlowFamily",
                "dev.nabla.models.recurrent.RecurrentFamily"))), descriptor.provides().toString());
    }
}
