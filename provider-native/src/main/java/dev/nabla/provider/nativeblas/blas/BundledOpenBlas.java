package dev.nabla.provider.nativeblas.blas;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The OpenBLAS shared libraries bundled in the {@code org.bytedeco:openblas:…:linux-x86_64} jar, used
 * only as a source of files: the four libraries are extracted once into a per-user cache folder keyed
 * by {@link #VERSION} and loaded from there.
 *
 * <p>Extraction writes each file to a temporary name and renames it into place, then writes a
 * manifest ({@value #MANIFEST}) of each file's size, SHA-256 and last-modified time. The hash is
 * computed while extracting and checked right after; a later run (every JVM start) only compares each
 * file's size and last-modified time with the manifest, which reads no library bytes, and extracts
 * again when one is missing or either disagrees. Each extracted file is stamped with a last-modified
 * time a minute in the past, so any later write to it, however soon and whatever the file system's
 * timestamp granularity, changes that time. Two JVMs extracting at once each write their own
 * temporary files; the renames are atomic, so a reader never sees half a library.
 *
 * <p>The jar is found without depending on it: as the module {@value #MODULE} of the boot layer (should
 * someone resolve it), through the class loaders (the jar on the class path), else read as a zip file
 * from the module path or class path (on the module path it is never resolved: it requires JavaCPP's
 * {@code org.bytedeco.openblas}, which Nabla excludes).
 */
public final class BundledOpenBlas {
    /** The version of the bundled jar, which keys the cache folder. */
    public static final String VERSION = "0.3.30-1.5.12";
    /** The module name the bundled jar declares. */
    public static final String MODULE = "org.bytedeco.openblas.linux.x86_64";
    /** Where the libraries are inside the jar. */
    public static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    /** The libraries in load order: dependencies first, OpenBLAS last. */
    public static final List<String> LIBRARIES =
            List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");
    /** The manifest file written after a complete extraction. */
    public static final String MANIFEST = "manifest.properties";

    private final Path folder;
    private final Function<String, InputStream> resources;

    /**
     * Bundled libraries to be extracted into {@code folder}.
     *
     * @param folder    the cache folder for this version
     * @param resources opens a resource of the jar by its full name, or returns null when absent
     */
    public BundledOpenBlas(Path folder, Function<String, InputStream> resources) {
        this.folder = folder;
        this.resources = resources;
    }

    /**
     * The cache folder: {@code -Dnabla.cache.dir} if set, else {@code $XDG_CACHE_HOME/nabla}, else
     * {@code ~/.cache/nabla}; then {@code openblas-}{@value #VERSION} inside it.
     */
    public static Path cacheFolder(Function<String, String> env, Function<String, String> properties) {
        String dir = properties.apply("nabla.cache.dir");
        Path base;
        if (dir != null && !dir.isBlank()) {
            base = Path.of(dir);
        } else {
            String xdg = env.apply("XDG_CACHE_HOME");
            base = xdg != null && !xdg.isBlank()
                    ? Path.of(xdg, "nabla")
                    : Path.of(String.valueOf(properties.apply("user.home")), ".cache", "nabla");
        }
        return base.resolve("openblas-" + VERSION);
    }

    /**
     * Opens a resource of the bundled jar wherever it is: in the boot layer's module {@value #MODULE},
     * else through this class's loader, the system loader and the thread's context loader.
     */
    public static InputStream openResource(String name) {
        Optional<Module> module = ModuleLayer.boot().findModule(MODULE);
        if (module.isPresent()) {
            try {
                InputStream in = module.get().getResourceAsStream(name);
                if (in != null) {
                    return in;
                }
            } catch (IOException e) {
                // fall through to the class loaders
            }
        }
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(BundledOpenBlas.class.getClassLoader());
        loaders.add(ClassLoader.getSystemClassLoader());
        loaders.add(Thread.currentThread().getContextClassLoader());
        for (ClassLoader loader : loaders) {
            if (loader != null) {
                InputStream in = loader.getResourceAsStream(name);
                if (in != null) {
                    return in;
                }
            }
        }
        return fromJarOnPath(name);
    }

    /**
     * The resource read straight from an {@code openblas-…-linux-x86_64.jar} named on the module path
     * or the class path. On the module path the jar is an explicit module that requires JavaCPP's
     * {@code org.bytedeco.openblas}, which Nabla leaves out, so it is never resolved there; reading it
     * as a zip file needs no resolution.
     */
    private static InputStream fromJarOnPath(String name) {
        List<Path> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                for (String entry : value.split(File.pathSeparator)) {
                    entries.add(Path.of(entry));
                }
            }
        }
        return fromJars(name, entries);
    }

    /**
     * Opens resource {@code name} from the first bundled jar ({@code openblas-…-linux-x86_64.jar}) among
     * {@code entries}, each a jar or a directory of jars as on a module path; null if none has it.
     */
    public static InputStream fromJars(String name, List<Path> entries) {
        for (Path entry : entries) {
            for (Path jar : openblasJars(entry)) {
                try {
                    ZipFile zip = new ZipFile(jar.toFile());
                    ZipEntry e = zip.getEntry(name);
                    if (e == null) {
                        zip.close();
                        continue;
                    }
                    return new FilterInputStream(zip.getInputStream(e)) {
                        @Override
                        public void close() throws IOException {
                            try {
                                super.close();
                            } finally {
                                zip.close();
                            }
                        }
                    };
                } catch (IOException | RuntimeException e) {
                    // not a readable jar: try the next one
                }
            }
        }
        return null;
    }

    /** The bundled jar itself, or the bundled jars in a module-path directory. */
    private static List<Path> openblasJars(Path entry) {
        if (Files.isDirectory(entry)) {
            try (var files = Files.list(entry)) {
                return files.filter(BundledOpenBlas::isBundledJar).sorted().toList();
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        }
        return isBundledJar(entry) ? List.of(entry) : List.of();
    }

    private static boolean isBundledJar(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString();
        return n.startsWith("openblas-") && n.endsWith("linux-x86_64.jar") && Files.isRegularFile(p);
    }

    /** The cache folder. */
    public Path folder() {
        return folder;
    }

    /**
     * The extracted libraries in load order, extracting (again) when they are absent or do not match
     * the manifest.
     *
     * @throws IllegalStateException saying why when the jar is not found or the folder is not writable
     */
    public List<Path> extract() {
        try {
            if (!verified()) {
                extractAll();
                // hash right after extracting; by content, so another JVM extracting the same files at
                // once (each file renamed into place with its own time) does not make this one fail
                if (!verifiedByHash()) {
                    throw new IllegalStateException("extracted libraries in " + folder + " do not match their manifest");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract the bundled OpenBLAS into " + folder + ": " + e, e);
        }
        return LIBRARIES.stream().map(folder::resolve).toList();
    }

    /**
     * The fast check made on every start: true when the manifest exists and every library has its
     * recorded size and last-modified time. No library byte is read; a manifest without times (written
     * by an older version) fails, so the libraries are extracted again once.
     */
    public boolean verified() throws IOException {
        return check(false);
    }

    /**
     * The thorough check made right after extracting: true when the manifest exists and every library
     * has its recorded size and SHA-256, whatever its last-modified time. Reads every library in full.
     */
    public boolean verifiedByHash() throws IOException {
        return check(true);
    }

    private boolean check(boolean hash) throws IOException {
        Path manifest = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(manifest)) {
            p.load(in);
        }
        for (String lib : LIBRARIES) {
            String record = p.getProperty(lib);
            Path file = folder.resolve(lib);
            if (record == null || !Files.isRegularFile(file)) {
                return false;
            }
            // size:sha256:mtimeMillis
            String[] fields = record.split(":", 3);
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (fields.length < 2 || attrs.size() != parseLong(fields[0])) {
                return false;
            }
            if (hash) {
                try (InputStream in = Files.newInputStream(file)) {
                    if (!sha256(in).equals(fields[1])) {
                        return false;
                    }
                }
            } else if (fields.length != 3 || attrs.lastModifiedTime().toMillis() != parseLong(fields[2])) {
                return false;
            }
        }
        return true;
    }

    /** The number, or -1 (which matches no size or time recorded here) when it is not one. */
    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void extractAll() throws IOException {
        Files.createDirectories(folder);
        Properties manifest = new Properties();
        for (String lib : LIBRARIES) {
            String name = RESOURCE_DIR + lib;
            try (InputStream raw = resources.apply(name)) {
                if (raw == null) {
                    throw new IllegalStateException("resource " + name + " not found: the jar org.bytedeco:openblas:"
                            + VERSION + ":linux-x86_64 is on neither the class path nor the module path");
                }
                Path tmp = Files.createTempFile(folder, lib + ".", ".tmp");
                try {
                    MessageDigest md = digest();
                    long size;
                    try (DigestInputStream in = new DigestInputStream(raw, md);
                         OutputStream out = Files.newOutputStream(tmp)) {
                        size = in.transferTo(out);
                    }
                    // a minute in the past: a later write, however soon, gives the file a different time
                    Files.setLastModifiedTime(tmp,
                            FileTime.from(Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)));
                    long mtime = Files.getLastModifiedTime(tmp).toMillis(); // as the file system keeps it
                    moveIntoPlace(tmp, folder.resolve(lib));
                    manifest.setProperty(lib, size + ":" + HexFormat.of().formatHex(md.digest()) + ":" + mtime);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        Path tmp = Files.createTempFile(folder, MANIFEST + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                manifest.store(out, "OpenBLAS " + VERSION + " extracted by Nabla: size:sha256:mtimeMillis per library");
            }
            moveIntoPlace(tmp, folder.resolve(MANIFEST));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
            md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 unavailable", e));
        }
    }
}
