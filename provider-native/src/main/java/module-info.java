/**
 * The fast CPU backend of Nabla: tensors in off-heap {@link java.lang.foreign.MemorySegment}s freed by
 * Nabla's scopes, GEMM through OpenBLAS by FFM downcalls, every other kernel in Java.
 *
 * <p>Needs {@code --enable-native-access=dev.nabla.provider.nativeblas} (FFM downcalls). The OpenBLAS
 * libraries come from {@code NABLA_BLAS_LIBRARY}, the system, a {@code jlink} image's
 * {@code lib/nabla/openblas} folder, or the {@code org.bytedeco:openblas} jar, which is read as a
 * resource and deliberately not required here. Requires the incubator module
 * {@code jdk.incubator.vector} for its float loops; without it (on the class path) they fall back to
 * plain loops.
 */
module dev.nabla.provider.nativeblas {
    requires transitive dev.nabla.api;
    // the kernels' Vector API loops (package ...kernels only); resolved with this module, so users need
    // no --add-modules; the JVM prints "WARNING: Using incubator modules: jdk.incubator.vector"
    requires jdk.incubator.vector;

    exports dev.nabla.provider.nativeblas;

    provides dev.nabla.api.spi.BackendProvider with dev.nabla.provider.nativeblas.NativeBackendProvider;
}
