/**
 * The normalizing-flows family: bijections with tractable Jacobians ({@link dev.nabla.models.flows.FlowBlock}),
 * following the direction contract of {@link dev.nabla.api.flow.Flow} — {@code forward} maps data to
 * noise and returns {@code log|det ∂z/∂x|}, {@code inverse} maps noise to data.
 *
 * <ul>
 *   <li>Autoregressive: {@link dev.nabla.models.flows.MADE} (with {@link dev.nabla.models.flows.MaskedLinear}),
 *       {@link dev.nabla.models.flows.MaskedAutoregressiveFlow} (MAF: density in one pass) and
 *       {@link dev.nabla.models.flows.InverseAutoregressiveFlow} (IAF: sampling in one pass).</li>
 *   <li>Coupling: {@link dev.nabla.models.flows.AffineCoupling} (RealNVP), whose conditioner is any layer.</li>
 *   <li>Volume-preserving and normalising: {@link dev.nabla.models.flows.Permute},
 *       {@link dev.nabla.models.flows.Reverse}, {@link dev.nabla.models.flows.ActNorm},
 *       {@link dev.nabla.models.flows.BatchNormFlow}.</li>
 *   <li>Models: {@link dev.nabla.models.flows.FlowSequence}, {@link dev.nabla.models.flows.TransformedDistribution},
 *       and the builders in {@link dev.nabla.models.flows.Flows}, which are handed their conditioners'
 *       {@link dev.nabla.models.nn.LayerFactory} rather than looking layer providers up.</li>
 *   <li>{@link dev.nabla.models.flows.FlowFamily} and {@link dev.nabla.models.flows.FlowModel}: the family
 *       as the {@code nabla} command sees it; {@link dev.nabla.models.flows.NablaFlowProvider}: the flows by
 *       name for the {@code FlowProvider} SPI.</li>
 * </ul>
 *
 * <p>Densities — their contracts, base distributions, the maximum-likelihood and distillation objectives
 * and trainers — are in {@code dev.nabla.models.flows.density}; the data sets in {@code dev.nabla.models.data};
 * the family-free training loop in {@code dev.nabla.models.train}.
 */
package dev.nabla.models.flows;
