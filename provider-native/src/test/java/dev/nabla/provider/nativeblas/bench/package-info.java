/**
 * The native backend's benchmark, {@link dev.nabla.provider.nativeblas.bench.NativeBench}, a main
 * class run by {@code scripts/bench-native}: matmul against a direct {@code cblas_sgemm} downcall,
 * elementwise kernels against a memory copy, per-op overhead, the same workloads on the reference
 * backend when it is present, the Vector API loops against the plain loops, and (run by
 * {@code scripts/bench-vs-torch}) native against the PyTorch figures of {@code scripts/bench_torch_peer.py}.
 *
 * <p>What is not here: anything the backend itself uses.
 */
package dev.nabla.provider.nativeblas.bench;
