/**
 * Normalizing flows: bijections with tractable Jacobians ({@link dev.nabla.models.flows.FlowBlock}),
 * following the direction contract of {@link dev.nabla.api.flow.Flow} — {@code forward} maps data to
 * noise and returns {@code log|det ∂z/∂x|}, {@code inverse} maps noise to data.
 *
 * <ul>
 *   <li>Autoregressive: {@link dev.nabla.models.flows.MADE} (with {@link dev.nabla.models.flows.MaskedLinear}),
 *       {@link dev.nabla.models.flows.MaskedAutoregressiveFlow} (MAF: density in one pass) and
 *       {@link dev.nabla.models.flows.InverseAutoregressiveFlow} (IAF: sampling in one pass).</li>
 *   <li>Coupling: {@link dev.nabla.models.flows.AffineCoupling} (RealNVP).</li>
 *   <li>Volume-preserving and normalising: {@link dev.nabla.models.flows.Permute},
 *       {@link dev.nabla.models.flows.Reverse}, {@link dev.nabla.models.flows.ActNorm},
 *       {@link dev.nabla.models.flows.BatchNormFlow}.</li>
 *   <li>Models: {@link dev.nabla.models.flows.FlowSequence}, {@link dev.nabla.models.flows.TransformedDistribution},
 *       and the builders in {@link dev.nabla.models.flows.Flows}.</li>
 *   <li>{@link dev.nabla.models.flows.NablaFlowProvider}: the flows by name for the {@code FlowProvider} SPI.</li>
 * </ul>
 *
 * <p>Base distributions live in {@code dev.nabla.models.distributions}; the 2-D toy data sets and the
 * Fashion-MNIST loader in {@code dev.nabla.models.data}; training — maximum likelihood and probability
 * density distillation (Parallel WaveNet's student–teacher objective) — in {@code dev.nabla.models.train}
 * ({@code MleObjective}, {@code DistillObjective}, the {@code "mle"} and {@code "distill"} trainers).
 */
package dev.nabla.models.flows;
