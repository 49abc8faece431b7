package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tck.BackendConformanceSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against the native backend, required to be complete: every op of the table in
 * float32 and float64, gradients, errors, scopes — an unsupported op fails here.
 */
class NativeConformanceTest extends BackendConformanceSuite {
    private static NativeBackend backend;

    NativeConformanceTest() {
        super(create(), true);
    }

    private static NativeBackend create() {
        NativeBackendProvider provider = new NativeBackendProvider();
        assertTrue(provider.availability().available(), provider.availability().reason());
        backend = provider.create();
        return backend;
    }

    /** The test runs inside the provider's module, on the module path (an old surefire would not). */
    @Test
    void runsInTheProviderModule() {
        assertEquals("dev.nabla.provider.nativeblas", getClass().getModule().getName());
        assertEquals(getClass().getModule(), NativeBackendProvider.class.getModule());
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }
}
