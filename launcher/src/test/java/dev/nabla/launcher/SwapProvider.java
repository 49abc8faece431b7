package dev.nabla.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A backend provider jar that {@link BackendSwapTest} puts alone on a child JVM's module path, with
 * what that provider needs besides: the OpenBLAS jar on the class path and FFM native access for the
 * native provider; TensorFlow's jars, native access for JavaCPP and TensorFlow, and JavaCPP's cache
 * folder for the TensorFlow provider.
 *
 * <p>The paths come from the build (the launcher's {@code pom.xml} passes them as system properties):
 * the launcher's classes, its run-time path ({@code target/swap/runtime.path}, both shipped providers
 * and the OpenBLAS jar among it) and the TensorFlow provider's ({@code target/swap/tensorflow.path}).
 * Jars are told apart by the module they hold, not by their file names.
 */
enum SwapProvider {
    /** The pure-Java reference backend: nothing but its jar. */
    REFERENCE("reference", "dev.nabla.provider.reference"),
    /** The native backend: its jar, the OpenBLAS jar on the class path, native access. */
    NATIVE("native", "dev.nabla.provider.nativeblas"),
    /** The TensorFlow backend: its jar and TensorFlow Java's, native access for JavaCPP and TensorFlow. */
    TENSORFLOW("tensorflow", "dev.nabla.provider.tensorflow");

    /** The module name every Nabla backend provider starts with. */
    static final String PROVIDER_MODULE_PREFIX = "dev.nabla.provider.";
    private static final String OPENBLAS_MODULE_PREFIX = "org.bytedeco.openblas";

    private final String backend;
    private final String module;

    SwapProvider(String backend, String module) {
        this.backend = backend;
        this.module = module;
    }

    /** The name of the backend this provider offers. */
    String backend() {
        return backend;
    }

    /** The provider's module. */
    String module() {
        return module;
    }

    /**
     * The child JVM's command line: options, module path, class path, main module and {@code args}.
     */
    List<String> command(String... args) {
        List<Path> modulePath = new ArrayList<>();
        List<Path> classPath = new ArrayList<>();
        modulePath.add(Path.of(property("nabla.swap.launcher")));
        for (Path p : pathFile("nabla.swap.runtime.path")) {
            String name = moduleName(p);
            if (name.startsWith(OPENBLAS_MODULE_PREFIX)) {
                if (this == NATIVE) {
                    classPath.add(p);         // only a source of .so files: never on the module path
                }
            } else if (!name.startsWith(PROVIDER_MODULE_PREFIX) || name.equals(module)) {
                modulePath.add(p);
            }
        }
        if (this == TENSORFLOW) {
            modulePath.addAll(pathFile("nabla.swap.tensorflow.path"));
        }
        Set<String> providers = modulePath.stream().map(SwapProvider::moduleName)
                .filter(n -> n.startsWith(PROVIDER_MODULE_PREFIX)).collect(Collectors.toSet());
        if (!providers.equals(Set.of(module))) {
            throw new IllegalStateException("the module path for " + this + " holds the providers " + providers
                    + ", not exactly " + module + ": " + modulePath);
        }
        List<String> options = switch (this) {
            case NATIVE -> List.of("--enable-native-access=dev.nabla.provider.nativeblas");
            case TENSORFLOW -> List.of(
                    "--enable-native-access=org.bytedeco.javacpp,tensorflow.nativelib,dev.nabla.provider.tensorflow",
                    "-Dorg.bytedeco.javacpp.cachedir=" + property("nabla.swap.javacpp.cachedir"));
            case REFERENCE -> List.of();
        };
        return ChildJvm.command(modulePath, classPath, options, args);
    }

    /** Runs {@code nabla args…} with this provider alone and returns what it printed. */
    ChildJvm.Result run(Path logs, String... args) {
        return ChildJvm.run(command(args), logs);
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run this test through Maven "
                    + "(the launcher's pom.xml sets it)");
        }
        return v;
    }

    /** The entries of a path file written by the build (maven-dependency-plugin's build-classpath). */
    private static List<Path> pathFile(String property) {
        Path file = Path.of(property(property));
        try {
            String text = Files.readString(file).strip();
            List<Path> paths = new ArrayList<>();
            for (String s : text.split(java.io.File.pathSeparator)) {
                if (!s.isBlank()) {
                    paths.add(Path.of(s));
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (written by the build before the tests)", e);
        }
    }

    /** The name of the module a jar or classes folder holds (automatic modules included), or "". */
    private static String moduleName(Path p) {
        Optional<ModuleReference> m = ModuleFinder.of(p).findAll().stream().findFirst();
        return m.map(r -> r.descriptor().name()).orElse("");
    }
}
