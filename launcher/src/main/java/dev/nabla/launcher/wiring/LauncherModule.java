package dev.nabla.launcher.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.launcher.registry.BackendRegistry;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.models.family.ModelFamily;

import java.util.ServiceLoader;

/**
 * Binds what the commands use: the {@link LauncherConfig}, one registry per SPI fed from
 * {@link ServiceLoader} (backends, layers, flows, trainers, model families) and the models of the
 * families ({@link FamilyRegistry}); the
 * {@link SelectedBackend} is bound just in time (it reads the {@code --backend} a command recorded in
 * the configuration, so commands call it after parsing).
 */
public final class LauncherModule extends AbstractModule {
    private final LauncherConfig config;

    /** A module for one invocation with {@code config}. */
    public LauncherModule(LauncherConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(LauncherConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    BackendRegistry backends() {
        return new BackendRegistry(Backends.providers(), System.getProperty(Backends.PROPERTY), config.env(Backends.ENV));
    }

    @Provides
    @Singleton
    ProviderRegistry<LayerProvider> layers() {
        return ProviderRegistry.of("layer", ServiceLoader.load(LayerProvider.class), LayerProvider::names);
    }

    @Provides
    @Singleton
    ProviderRegistry<FlowProvider> flows() {
        return ProviderRegistry.of("flow", ServiceLoader.load(FlowProvider.class), FlowProvider::names);
    }

    @Provides
    @Singleton
    ProviderRegistry<TrainerProvider> trainers() {
        return ProviderRegistry.of("trainer", ServiceLoader.load(TrainerProvider.class), TrainerProvider::names);
    }

    @Provides
    @Singleton
    ProviderRegistry<ModelFamily> familyProviders() {
        return ProviderRegistry.of("model family", ServiceLoader.load(ModelFamily.class), f -> java.util.Set.of(f.name()));
    }

    @Provides
    @Singleton
    FamilyRegistry families(ProviderRegistry<ModelFamily> families, ProviderRegistry<LayerProvider> layers,
            ProviderRegistry<FlowProvider> flows) {
        return new FamilyRegistry(families, layers, flows);
    }
}
