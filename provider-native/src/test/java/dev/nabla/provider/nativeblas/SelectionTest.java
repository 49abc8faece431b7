package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery through the real {@link java.util.ServiceLoader}: native is found and outranks reference. */
class SelectionTest {
    @Test
    void serviceLoaderFindsNativeAndPrefersItToReference() {
        List<BackendProvider> found = Backends.providers();
        BackendProvider nat = found.stream().filter(p -> p.name().equals("native")).findFirst().orElseThrow();
        BackendProvider ref = found.stream().filter(p -> p.name().equals("reference")).findFirst().orElseThrow();
        assertTrue(nat.availability().available(), Backends.describe(found));
        assertTrue(nat.priority() > ref.priority());
        assertTrue(nat.availability().reason().contains("OpenBLAS"), nat.availability().reason());
        assertEquals("native", Nabla.backend().name(), "the highest-priority available backend is chosen");
    }
}
