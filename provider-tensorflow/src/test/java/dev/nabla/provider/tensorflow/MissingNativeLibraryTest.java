package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The unavailable path for real, not injected: a fresh JVM whose module path has everything but
 * TensorFlow's native jar lists the backends. The TensorFlow provider must report itself unavailable
 * with the loader's reason, the reference must stay available, and the JVM must exit normally.
 */
class MissingNativeLibraryTest {
    @Test
    void withoutTheNativeJarTheBackendIsUnavailableAndTheJvmCarriesOn() throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "tests run on the module path");
        // No module requires the native jar (automatic module tensorflow.nativelib.linux.x86_64), so
        // surefire puts it on the class path, where JavaCPP finds the libraries. The child JVM gets the
        // same module path and no class path: everything but the native jar.
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        assertTrue(classPath.stream().anyMatch(e -> e.contains("tensorflow-core-native") && e.contains("linux-x86_64")),
                "this JVM has the native jar: " + classPath);
        List<String> kept = Arrays.stream(modulePath.split(File.pathSeparator))
                .filter(e -> !e.contains("linux-x86_64"))
                .collect(Collectors.toList());
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path cache = Files.createTempDirectory("nabla-empty-javacpp-cache");
        Process p = new ProcessBuilder(java,
                "--enable-native-access=org.bytedeco.javacpp,tensorflow.nativelib,dev.nabla.provider.tensorflow",
                "--sun-misc-unsafe-memory-access=allow",
                "-Dorg.bytedeco.javacpp.cachedir=" + cache,
                "-p", String.join(File.pathSeparator, kept), "--add-modules", "ALL-MODULE-PATH",
                // the benchmark main lives in the test sources: patched into the module, as scripts/bench-tensorflow does
                "--patch-module", "dev.nabla.provider.tensorflow=" + Path.of("target", "test-classes").toAbsolutePath(),
                "-m", "dev.nabla.provider.tensorflow/dev.nabla.provider.tensorflow.bench.BackendBench", "--list")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("tensorflow (priority 50, unavailable: the TensorFlow native library could not be loaded"),
                out);
        assertTrue(out.contains("UnsatisfiedLinkError") && out.contains("jnitensorflow"), out);
        assertTrue(out.contains("reference (priority 0, available"), out);
    }
}
