/**
 * What the launcher can build, found through {@link java.util.ServiceLoader}: the backends
 * ({@link dev.nabla.launcher.registry.BackendRegistry}), the named layers, flows, trainers and model
 * families of every provider on the module path ({@link dev.nabla.launcher.registry.ProviderRegistry}),
 * and the models {@code nabla train} accepts, each with the family that builds it
 * ({@link dev.nabla.launcher.registry.FamilyRegistry}).
 */
package dev.nabla.launcher.registry;
