/**
 * What the launcher can build, found through {@link java.util.ServiceLoader}: the backends
 * ({@link dev.nabla.launcher.registry.BackendRegistry}), the named layers, flows and trainers of every
 * provider on the module path ({@link dev.nabla.launcher.registry.ProviderRegistry}), the models
 * {@code nabla train} accepts ({@link dev.nabla.launcher.registry.ModelCatalog}) and the built-in data
 * sets ({@link dev.nabla.launcher.registry.DatasetCatalog}).
 */
package dev.nabla.launcher.registry;
