package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.tck.BackendConformanceSuite;
import org.junit.jupiter.api.Test;

/**
 * The whole conformance kit run against the TensorFlow backend, required complete: every op in every
 * dtype the reference supports (float64 and the integer types included), with no UNSUPPORTED check.
 */
class TensorflowConformanceTest extends BackendConformanceSuite {
    TensorflowConformanceTest() {
        super(new TensorflowBackendProvider().create(), true);
    }

    /** The test runs inside the provider's module on the module path (not a class-path fallback). */
    @Test
    void runsInTheProviderModule() {
        assertEquals("dev.nabla.provider.tensorflow", getClass().getModule().getName());
        assertEquals(getClass().getModule(), TensorflowBackendProvider.class.getModule());
    }
}
