/**
 * The fast CPU backend of Nabla: tensors in off-heap {@link java.lang.foreign.MemorySegment}s freed by
 * Nabla's scopes, GEMM through OpenBLAS by FFM downcalls, every other kernel in Java.
 */
module dev.nabla.provider.nativeblas {
    requires transitive dev.nabla.api;
}
