package dev.nabla.launcher.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import picocli.CommandLine;

/**
 * Lets picocli create commands (and their converters and mixins) through the Guice injector, so a
 * command declares what it needs with {@code @Inject}. Classes Guice cannot build fall back to
 * picocli's own factory.
 */
public final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    /** A factory over {@code injector}. */
    public GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            return injector.getInstance(cls);
        } catch (ConfigurationException e) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
