/**
 * The reference backend's entry points: {@link dev.nabla.provider.reference.ReferenceBackendProvider},
 * found by {@link java.util.ServiceLoader} as a {@link dev.nabla.api.spi.BackendProvider}, and the
 * {@link dev.nabla.provider.reference.ReferenceBackend} it creates.
 *
 * <p>What is not here: the heap storage ({@code dev.nabla.provider.reference.storage}) and the
 * kernels ({@code dev.nabla.provider.reference.kernels}); neither package is exported.
 */
package dev.nabla.provider.reference;
