/**
 * VAE measurement mains (not exported): {@link dev.nabla.models.vae.bench.VaeStepBenchMain}, the Nabla
 * half of {@code scripts/bench-vae}.
 */
package dev.nabla.models.vae.bench;
