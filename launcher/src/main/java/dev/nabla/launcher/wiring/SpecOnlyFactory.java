package dev.nabla.launcher.wiring;

import jakarta.inject.Inject;
import picocli.CommandLine;

import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;

/**
 * Creates commands for their option specifications only — what {@code --help} and {@code --version}
 * print — without Guice: an {@code @Inject} constructor is called with nulls (zeros for primitives),
 * which a command only stores. Such a command must never run; {@code Main} uses it only when the
 * parsed line asks for usage or version help, and builds the real, injected commands otherwise. It
 * keeps {@code nabla --help} from loading the injector, the registries and every plugin.
 */
public final class SpecOnlyFactory implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
            if (c.isAnnotationPresent(Inject.class)) {
                c.setAccessible(true);
                Parameter[] ps = c.getParameters();
                Object[] args = new Object[ps.length];
                for (int i = 0; i < ps.length; i++) {
                    args[i] = placeholder(ps[i].getType());
                }
                return cls.cast(c.newInstance(args));
            }
        }
        return CommandLine.defaultFactory().create(cls);
    }

    private static Object placeholder(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        return type == int.class ? 0 : type == short.class ? (short) 0 : (byte) 0;
    }
}
