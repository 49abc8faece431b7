package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./nabla} starts faster with (docs/startup.md): picocli's jar rewritten by the build to
 * class-file version 52 with stack maps ({@code src/build/ClassFileUpgrade.java}), and the front module
 * path without the providers for the commands that create no backend. Both must change nothing the user
 * sees: the upgraded jar holds the same entries, only newer classes, and picocli parses and prints as
 * before; help and {@code list} print the same on the front path as on the full one.
 */
class StartupPathsTest {
    private static final Path LOGS = Path.of("target", "startup-paths");

    /** The upgraded copies the build wrote (target/modules and target/front-modules). */
    private static List<Path> upgradedJars() {
        String paths = System.getProperty("nabla.test.upgradedPicocli");
        assertTrue(paths != null && !paths.isBlank(), "nabla.test.upgradedPicocli is not set (run by Maven)");
        return Arrays.stream(paths.split(",")).map(Path::of).toList();
    }

    private static Path originalJar() {
        return Path.of(System.getProperty("nabla.test.picocliJar"));
    }

    /** Every entry of a jar: name to bytes, in order. */
    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (var e : java.util.Collections.list(f.entries())) {
                try (InputStream in = f.getInputStream(e)) {
                    all.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return all;
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    @Test
    void theUpgradedPicocliHoldsTheSameEntriesWithNoClassOlderThanJava8() throws IOException {
        Map<String, byte[]> original = entries(originalJar());
        long old = original.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".class") && major(e.getValue()) < 52).count();
        assertTrue(old > 100, "the original picocli jar was expected to hold Java 5 classes, has " + old);
        for (Path jar : upgradedJars()) {
            Map<String, byte[]> upgraded = entries(jar);
            assertEquals(new ArrayList<>(original.keySet()), new ArrayList<>(upgraded.keySet()), jar + ": other entries");
            for (var e : upgraded.entrySet()) {
                byte[] was = original.get(e.getKey());
                if (e.getKey().endsWith(".class") && major(was) < 52) {
                    assertEquals(52, major(e.getValue()), jar + "!" + e.getKey());
                } else {   // resources, the manifest, module-info (version 53): copied unchanged
                    assertArrayEquals(was, e.getValue(), jar + "!" + e.getKey() + " changed");
                }
            }
        }
    }

    /** This JVM's module path with picocli's jar replaced by {@code picocli}. */
    private static List<Path> modulesWith(Path picocli) {
        List<Path> modules = new ArrayList<>();
        for (Path e : ChildJvm.entries()) {
            if (!ChildJvm.isOpenBlasJar(e)) {
                modules.add(e.getFileName().toString().startsWith("picocli-") ? picocli : e);
            }
        }
        return modules;
    }

    private static ChildJvm.Result run(List<Path> modules, List<String> options, String... args) {
        List<Path> classPath = ChildJvm.entries().stream().filter(ChildJvm::isOpenBlasJar).toList();
        return ChildJvm.run(ChildJvm.command(modules, classPath, options, args), LOGS);
    }

    @Test
    void picocliFromTheUpgradedJarVerifiesAndParsesAsTheOriginalDoes() {
        Path upgraded = upgradedJars().getFirst();
        List<String> options = List.of("--enable-native-access=dev.nabla.provider.nativeblas");
        // usage help, a subcommand's help and a usage error exercise picocli's model, help and parser
        for (String line : List.of("--help", "train --help", "train realnvp --dataset moons --epochs x", "nonsense")) {
            ChildJvm.Result before = run(modulesWith(originalJar()), options, line.split(" "));
            ChildJvm.Result after = run(modulesWith(upgraded), options, line.split(" "));
            assertEquals(before.status(), after.status(), line + ":\n" + after.transcript());
            assertEquals(before.out(), after.out(), line);
            assertEquals(before.err(), after.err(), line);
        }
        // the classes came from the upgraded jar, and the JVM's verifier (on for every class of the module
        // path) accepted their stack maps
        List<String> verbose = new ArrayList<>(options);
        verbose.add("-Xlog:class+load");
        ChildJvm.Result r = run(modulesWith(upgraded), verbose, "train", "--help");
        assertEquals(0, r.status(), r.transcript());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("picocli.CommandLine ") && l.contains(upgraded.toAbsolutePath().toString())),
                "picocli was not loaded from " + upgraded + ":\n" + r.out().lines().filter(l -> l.contains("picocli.CommandLine "))
                        .toList());
    }

    @Test
    void helpAndListPrintTheSameOnTheFrontPathWithoutTheProviders() {
        List<Path> full = modulesWith(originalJar());
        List<Path> front = full.stream().filter(p -> !p.getFileName().toString().startsWith("nabla-provider-")
                && !p.toString().contains("provider-native") && !p.toString().contains("provider-reference")).toList();
        assertEquals(full.size() - 2, front.size(), "expected to leave out the two shipped providers: " + full);
        // the front path's options as ./nabla gives them: native access for JLine only (naming the absent
        // provider would make the JVM warn on every command)
        List<String> frontOptions = List.of("--enable-native-access=org.jline.nativ", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC");
        for (String line : List.of("--help", "--version", "train --help", "list", "list --help")) {
            ChildJvm.Result a = run(full, List.of("--enable-native-access=dev.nabla.provider.nativeblas"), line.split(" "));
            ChildJvm.Result b = ChildJvm.run(ChildJvm.command(front, List.of(), frontOptions, line.split(" ")), LOGS);
            assertEquals(0, a.status(), a.transcript());
            assertEquals(0, b.status(), b.transcript());
            assertEquals(a.out(), b.out(), line);
            assertEquals(a.err(), b.err(), line);
            assertEquals("", b.err(), line + ": the front path printed to standard error");
        }
        // and without the providers the boot layer has no incubator module, which is what lets the start-up
        // cache hold the module graph
        ChildJvm.Result a = run(full, List.of("--show-module-resolution"), "--version");
        ChildJvm.Result b = ChildJvm.run(ChildJvm.command(front, List.of(), List.of("--show-module-resolution"), "--version"), LOGS);
        assertTrue(a.out().contains("jdk.incubator.vector"), a.transcript());
        assertTrue(b.out().contains("dev.nabla.launcher") && !b.out().contains("jdk.incubator.vector"), b.transcript());
    }
}
