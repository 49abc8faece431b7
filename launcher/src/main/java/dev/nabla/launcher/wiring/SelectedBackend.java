package dev.nabla.launcher.wiring;

import dev.nabla.api.backend.Backend;
import dev.nabla.launcher.registry.BackendRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The backend a command runs on: the one named by its {@code --backend} (recorded in the
 * {@link LauncherConfig}), else {@code -Dnabla.backend}, else {@code NABLA_BACKEND}, else the available
 * one with the highest priority. Injected into commands, which call {@link #get()} after parsing their
 * options; a bad choice surfaces as a {@link dev.nabla.launcher.UsageException} from {@code get()}.
 */
@Singleton
public final class SelectedBackend {
    private final BackendRegistry registry;
    private final LauncherConfig config;

    /** Created by Guice. */
    @Inject
    SelectedBackend(BackendRegistry registry, LauncherConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /** The chosen backend, created once per JVM. */
    public Backend get() {
        return registry.backend(config.requestedBackend());
    }
}
