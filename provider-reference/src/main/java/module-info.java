/**
 * The pure-Java reference backend of Nabla: heap arrays and plain loops, written to be obviously
 * correct rather than fast. It is the oracle the other providers are held to by the conformance kit.
 *
 * <p>Only the provider package is exported; storage and kernels are implementation details reached
 * through {@link dev.nabla.api.backend.Backend}.
 */
module dev.nabla.provider.reference {
    requires transitive dev.nabla.api;

    exports dev.nabla.provider.reference;

    provides dev.nabla.api.spi.BackendProvider with dev.nabla.provider.reference.ReferenceBackendProvider;
}
