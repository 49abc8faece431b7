/**
 * The normalizing-flow contract: {@link dev.nabla.api.flow.Flow} with its direction contract and
 * {@link dev.nabla.api.flow.FlowResult}. Concrete flows (MAF, IAF, RealNVP, …) live in {@code dev.nabla.models}.
 */
package dev.nabla.api.flow;
