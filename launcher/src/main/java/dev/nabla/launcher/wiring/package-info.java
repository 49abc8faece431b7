/**
 * Guice wiring of the launcher: {@link dev.nabla.launcher.wiring.LauncherModule} binds the registries
 * (fed from {@link java.util.ServiceLoader}), the configuration and the selected backend;
 * {@link dev.nabla.launcher.wiring.GuiceFactory} lets picocli create commands through the injector.
 */
package dev.nabla.launcher.wiring;
