/**
 * The fast CPU backend of Nabla: tensors in off-heap {@link java.lang.foreign.MemorySegment}s freed by
 * Nabla's scopes, GEMM through OpenBLAS by FFM downcalls, every other kernel in Java.
 *
 * <p>Needs {@code --enable-native-access=dev.nabla.provider.nativeblas} (FFM downcalls). The OpenBLAS
 * libraries come from {@code NABLA_BLAS_LIBRARY}, the system, a {@code jlink} image's
 * {@code lib/nabla/openblas} folder, or the {@code org.bytedeco:openblas} jar, which is read as a
 * resource and deliberately not required here.
 *
 * <p>Its float loops use the incubator module {@code jdk.incubator.vector} when it is resolved
 * ({@code --add-modules jdk.incubator.vector}); otherwise they run as plain loops (bit for bit the same for the exact ops, within a few ulps
 * for exp, log, tanh, sigmoid and sums). The module is required statically because resolving it has a price: its loops run in a slow Java
 * fallback until the JIT has compiled them, and with an incubator module in the boot layer the JDK's
 * start-up cache cannot hold the resolved module graph and linked classes. It pays for long runs (a
 * Transformer LM step about 30 % faster), not for short ones; the {@code nabla} command resolves it for
 * long trainings, benchmarks and serving only.
 */
module dev.nabla.provider.nativeblas {
    requires transitive dev.nabla.api;
    // the kernels' Vector API loops (package ...kernels only), used when the module is resolved: the JVM
    // then prints "WARNING: Using incubator modules: jdk.incubator.vector"
    requires static jdk.incubator.vector;

    exports dev.nabla.provider.nativeblas;

    provides dev.nabla.api.spi.BackendProvider with dev.nabla.provider.nativeblas.NativeBackendProvider;
}
