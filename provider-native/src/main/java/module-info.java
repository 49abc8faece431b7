/**
 * The fast CPU backend of Nabla: tensors in off-heap {@link java.lang.foreign.MemorySegment}s freed by
 * Nabla's scopes, GEMM through OpenBLAS by FFM downcalls, every other kernel in Java.
 *
 * <p>Needs {@code --enable-native-access=dev.nabla.provider.nativeblas} (FFM downcalls). The OpenBLAS
 * libraries come from {@code NABLA_BLAS_LIBRARY}, the system, or the {@code org.bytedeco:openblas}
 * jar, which is read as a resource and deliberately not required here.
 */
module dev.nabla.provider.nativeblas {
    requires transitive dev.nabla.api;

    exports dev.nabla.provider.nativeblas;

    provides dev.nabla.api.spi.BackendProvider with dev.nabla.provider.nativeblas.NativeBackendProvider;
}
