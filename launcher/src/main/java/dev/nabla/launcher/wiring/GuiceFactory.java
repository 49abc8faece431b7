package dev.nabla.launcher.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Lets picocli create commands (and their converters and mixins) through the Guice injector, so a
 * command declares what it needs with {@code @Inject}. Classes Guice cannot build fall back to
 * picocli's own factory.
 */
public final class GuiceFactory implements CommandLine.IFactory {
    private final Supplier<Injector> injector;

    /**
     * A factory over the injector {@code injector} supplies when the first command is created — so the
     * injector can be built on another thread while picocli reads the commands' annotations, which needs
     * no instance (picocli creates a command when it parses its arguments).
     */
    public GuiceFactory(Supplier<Injector> injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            return injector.get().getInstance(cls);
        } catch (ConfigurationException e) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
