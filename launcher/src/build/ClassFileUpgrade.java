import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Build step of the launcher (and of the image): copies a jar, rewriting every class file older than
 * class-file version 52 (Java 8) to version 52 with stack maps, so that the JDK's ahead-of-time cache can
 * hold its classes and the JVM verifies them with the type-checking verifier. JDK 25 archives no class of
 * version 49 (Java 5) or older, and picocli 4.7.7 is built for Java 5: without this its classes are read
 * from the jar and verified by the old type-inferring verifier on every start of the command.
 *
 * <p>Only the version and the stack maps change; the code, the constant pool's meaning, the attributes and
 * every other entry of the jar (resources, the manifest, {@code META-INF/versions/9/module-info.class}) are
 * kept. Stack maps are computed with the JDK's {@code java.lang.classfile} API, resolving class hierarchy
 * from the JDK and from the jar itself.
 *
 * <p>Run with the source launcher: {@code java [-Dupgrade.program=ClassFileUpgrade.java] ClassFileUpgrade.java
 * IN.jar OUT.jar [OUT.jar ...]}; IN may be one of the OUTs (rewritten in place, which the image does on a
 * fresh copy). An output newer than IN and than the program named by {@code upgrade.program} is left as it
 * is, so that a second build does not change it (and void the start-up caches recorded against it). Each
 * output is written to a temporary file beside it and renamed, so a reader never sees half a jar.
 */
public final class ClassFileUpgrade {
    /** The version written: Java 8, the oldest whose classes the cache holds and whose verifier uses stack maps. */
    static final int TARGET = ClassFile.JAVA_8_VERSION;

    private ClassFileUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java ClassFileUpgrade.java IN.jar OUT.jar [OUT.jar ...]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        String program = System.getProperty("upgrade.program");
        for (int i = 1; i < args.length; i++) {
            Path out = Path.of(args[i]);
            // an output newer than its input (and than this program) is left as it is: rewriting it would
            // change its time, and with it void the start-up caches recorded against it
            if (Files.exists(out) && !in.equals(out) && newer(out, in) && (program == null || newer(out, Path.of(program)))) {
                continue;
            }
            upgrade(in, out);   // quiet: its output would show in ./nabla's first build
        }
    }

    private static boolean newer(Path a, Path b) throws IOException {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
    }

    /** Writes {@code out}: {@code in} with its old classes upgraded. Returns how many were upgraded. */
    static int upgrade(Path in, Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        int upgraded = 0;
        try (URLClassLoader jarLoader = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
                JarFile jar = new JarFile(in.toFile());
                OutputStream os = Files.newOutputStream(tmp);
                JarOutputStream jos = new JarOutputStream(os)) {
            ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                    .orElse(ClassHierarchyResolver.ofResourceParsing(jarLoader))
                    .cached();
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(resolver));
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                byte[] bytes = jar.getInputStream(e).readAllBytes();
                if (!e.isDirectory() && e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < TARGET) {
                        // every method body goes through a code builder (a body passed on untouched would be
                        // copied as it is, without stack maps), then the version is set
                        bytes = cf.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0))));
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                jos.putNextEntry(copy);
                jos.write(bytes);
                jos.closeEntry();
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return upgraded;
    }
}
