package dev.nabla.provider.reference;

import dev.nabla.tck.ConcurrencyChecks;

/** The tck's thread-safety checks (released tensors read concurrently, confined scopes) on the reference backend. */
class ReferenceConcurrencyTest extends ConcurrencyChecks {
    ReferenceConcurrencyTest() {
        super(new ReferenceBackendProvider().create());
    }
}
