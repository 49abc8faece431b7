package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.tck.BackendConformanceSuite;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit run against the reference backend. The reference is the oracle other
 * providers are held to, so it must be complete: an unsupported op fails here (the default
 * {@code requireComplete()}).
 */
class ReferenceConformanceTest extends BackendConformanceSuite {
    ReferenceConformanceTest() {
        super(new ReferenceBackendProvider().create());
    }

    /**
     * Surefire patches the test classes into the provider's module and runs it from the module path
     * (the tck and JUnit stay on the class path, read via {@code --add-reads …=ALL-UNNAMED}). An old
     * surefire that cannot read release-25 class files silently falls back to the class path; this
     * test catches that.
     */
    @Test
    void runsInTheProviderModule() {
        assertEquals("dev.nabla.provider.reference", getClass().getModule().getName(),
                "the conformance test must run inside the provider's module, on the module path");
        assertEquals(getClass().getModule(), ReferenceBackendProvider.class.getModule());
    }
}
