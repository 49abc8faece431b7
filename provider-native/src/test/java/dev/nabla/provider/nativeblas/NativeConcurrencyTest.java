package dev.nabla.provider.nativeblas;

import dev.nabla.tck.ConcurrencyChecks;
import org.junit.jupiter.api.AfterAll;

/** The tck's thread-safety checks (released tensors read concurrently, confined scopes) on the native backend. */
class NativeConcurrencyTest extends ConcurrencyChecks {
    private static NativeBackend backend;

    NativeConcurrencyTest() {
        super(create());
    }

    private static NativeBackend create() {
        backend = new NativeBackendProvider().create();
        return backend;
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }
}
