package dev.nabla.models.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a torn
 * file: the body is written to a temporary file in the same directory, forced to disk, then renamed
 * over the target with {@link StandardCopyOption#ATOMIC_MOVE}, and the directory is forced. If the
 * body throws, the temporary file is deleted and the target is untouched.
 *
 * <p>A new file gets the permissions any program's new file gets (0666 less the user's umask, e.g.
 * 0644); a replaced file keeps the permissions it had. The temporary is named
 * {@code .NAME.PID-RANDOM.tmp} after the target and the writing process, so the temporaries of a
 * writer that was killed can later be told from those of a live one ({@link #removeStaleTemporaries}).
 */
public final class AtomicFiles {
    /** {@code .NAME.PID-RANDOM.tmp}: group 1 the target's name, 2 the writer's PID. */
    private static final Pattern TAGGED = Pattern.compile("\\.(.+)\\.(\\d{1,19})-\\d{1,20}\\.tmp");
    /** {@code .NAME.RANDOM.tmp}, as versions before the PID tag named them. */
    private static final Pattern UNTAGGED = Pattern.compile("\\.(.+)\\.\\d{1,20}\\.tmp");
    /** How far a process's reported start time may lag the truth (Linux reports boot time in whole seconds). */
    private static final Duration START_TIME_SLACK = Duration.ofSeconds(2);

    private AtomicFiles() {
    }

    /** What writes the new contents. */
    @FunctionalInterface
    public interface Body {
        /** Writes the contents to {@code out} (which the caller closes). */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code body} writes, atomically.
     *
     * @throws UncheckedIOException if writing, forcing or renaming fails (the target is then unchanged)
     */
    public static void write(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            Path[] made = new Path[1];
            FileChannel channel = openTemporary(dir, "." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-", made);
            tmp = made[0];
            try (FileChannel ch = channel) {
                keepPermissions(abs, tmp);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically; refusing a"
                        + " non-atomic checkpoint write", e);
            }
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + " failed; the previous file (if any) is intact: "
                    + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what matters; a stray temp file is harmless
                }
            }
        }
    }

    /** Creates {@code dir/prefix RANDOM .tmp} (new, never an existing file), its path put in {@code made[0]}. */
    private static FileChannel openTemporary(Path dir, String prefix, Path[] made) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {   // no permissions given: the file system applies the umask, as for any new file
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                made[0] = tmp;
                return ch;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** A replaced file keeps its permissions (where the file system has POSIX permissions and we may set them). */
    private static void keepPermissions(Path target, Path tmp) {
        PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from == null || to == null) {
            return;
        }
        try {
            to.setPermissions(from.readAttributes().permissions());
        } catch (NoSuchFileException e) {
            // a new target: the umask's permissions stand
        } catch (IOException | SecurityException e) {
            // not ours to change: the umask's permissions stand
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open directories; the rename itself is still atomic
        }
    }

    /**
     * Deletes the temporaries in {@code dir} that {@link #write} left behind when its process died
     * mid-write ({@code kill -9}, power loss): those whose writer's PID is no longer running, or is now
     * a process that started after the temporary was last written (the PID was reused). The
     * temporaries of live writers, this process's included, are kept, so any process may call this at
     * any time. Temporaries of versions before the PID tag are kept too: {@link RunLock#removeStaleTemporaries}
     * removes them where it can prove no other writer is live.
     *
     * @return the files deleted
     * @throws UncheckedIOException if {@code dir} cannot be listed
     */
    public static List<Path> removeStaleTemporaries(Path dir) {
        return removeTemporaries(dir, false);
    }

    /** As {@link #removeStaleTemporaries}, and also the untagged ones when {@code untaggedToo}. */
    static List<Path> removeTemporaries(Path dir, boolean untaggedToo) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                Matcher m = TAGGED.matcher(name);
                boolean stale;
                if (m.matches()) {
                    stale = writerIsGone(p, m.group(2));
                } else {
                    stale = untaggedToo && UNTAGGED.matcher(name).matches();
                }
                if (stale && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean temporary files in " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private static boolean writerIsGone(Path tmp, String pidText) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return false;   // not one of ours
        }
        if (pid == ProcessHandle.current().pid()) {
            return false;   // maybe a write in progress on another thread
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = p.get().info().startInstant();
        Instant written;
        try {
            written = Files.getLastModifiedTime(tmp).toInstant();
        } catch (NoSuchFileException e) {
            return false;   // gone already: its writer finished
        }
        return started.isPresent() && started.get().isAfter(written.plus(START_TIME_SLACK));
    }
}
