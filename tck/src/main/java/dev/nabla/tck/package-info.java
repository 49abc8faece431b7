/**
 * The conformance kit (tck): {@link dev.nabla.tck.BackendConformanceSuite}, an abstract JUnit 5
 * class that a provider extends in its test folder to check its backend against the API's contract.
 *
 * <p>Every op of {@link dev.nabla.api.tensor.Tensor} and {@link dev.nabla.api.tensor.TensorFactory}
 * is a row of an op table (in the style of PyTorch's OpInfo): its sample inputs (broadcasting pairs,
 * scalars, size-1 and zero-size axes, one large shape), an independent float64 reference written as
 * plain Java loops in this package, and whether it is differentiable. From each row the suite
 * generates forward checks in float64 and float32 and, for differentiable ops, gradient checks
 * against central finite differences. Further checks cover creation, seeded randomness, error
 * messages, scopes and autodiff bookkeeping.
 *
 * <p>An op the backend does not implement ({@link dev.nabla.api.types.UnsupportedKernelException})
 * is reported as UNSUPPORTED — never as passed — and, when the suite
 * {@linkplain dev.nabla.tck.BackendConformanceSuite#requireComplete() requires completeness}, as a
 * failure. Only the suite class is public; the table, the references and the checkers are
 * implementation details of this package.
 */
package dev.nabla.tck;
