/**
 * {@code nabla bench}: the standard workloads — float32 matmul, the cost of one small op with and
 * without gradient recording, and a RealNVP training step — timed on every available backend in one
 * JVM and printed as one table with ratios.
 *
 * <ul>
 *   <li>{@link dev.nabla.launcher.bench.BenchCommand}: the picocli command (options, backend choice,
 *       progress, exit status).</li>
 *   <li>{@link dev.nabla.launcher.bench.Workload}: what is timed, and how each workload prepares its
 *       tensors on a backend ({@link dev.nabla.launcher.bench.Trial}).</li>
 *   <li>{@link dev.nabla.launcher.bench.Timing}: warm-up, calibration of calls per round, timed rounds,
 *       median.</li>
 *   <li>{@link dev.nabla.launcher.bench.BenchTable}: the figures, their ratios and the printed table.</li>
 * </ul>
 *
 * <p>Speed is shown here and never asserted by a test: the tests run the command with {@code --quick}
 * and check only that every figure is a finite positive number.
 */
package dev.nabla.launcher.bench;
