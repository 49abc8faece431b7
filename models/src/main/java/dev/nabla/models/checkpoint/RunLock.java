package dev.nabla.models.checkpoint;

import dev.nabla.api.types.NablaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right to write a run folder, held for the whole life of a training run, so two runs
 * (or a {@code --resume} and an {@code --overwrite}) can never write the same folder at once.
 *
 * <p>It is an operating-system lock ({@link FileChannel#tryLock()}) on {@value #FILE} in the folder,
 * which also records who holds it (PID, command, start time, host), so a second writer is refused
 * with a message naming the process to wait for or stop. The operating system releases the lock when
 * its process dies, however it dies, so a {@code kill -9} leaves no stale lock: the next run simply
 * takes it (the old record in the file is then overwritten). The lock file itself is never deleted
 * (deleting it would let two processes lock two different files of the same name).
 *
 * <p>Readers ({@code eval}, {@code sample}) need no lock: checkpoints are replaced atomically
 * ({@link AtomicFiles}) and {@link Checkpoint#load} reads from one open file, so a reader sees the
 * previous checkpoint or the new one, whole. {@link #holder} tells them whether a run is writing.
 *
 * <p>Within one JVM the folders locked are also tracked in memory: POSIX drops every lock a process
 * holds on a file when it closes any descriptor of that file, so this class never opens the lock
 * file of a folder that this JVM holds.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in the run folder. */
    public static final String FILE = ".nabla.lock";

    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder holder;
    private boolean closed;

    private RunLock(Path dir, Path key, FileChannel channel, FileLock lock, Holder holder) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
    }

    /**
     * Who holds (or last held) a run folder's lock.
     *
     * @param pid     the process, or -1 if the record is unreadable (being written)
     * @param command what it runs, e.g. {@code "nabla train maf moons --out runs/m"}
     * @param since   when it took the lock, or null if unknown
     * @param host    the machine it runs on
     */
    public record Holder(long pid, String command, Instant since, String host) {
        /** For messages: {@code process 1234 on host (nabla train …), since 2025-…}. */
        public String describe() {
            if (pid < 0) {
                return "another process (which has not yet recorded itself in " + FILE + ")";
            }
            return "process " + pid + (host.isEmpty() ? "" : " on " + host)
                    + (command.isEmpty() ? "" : " (" + command + ")") + (since == null ? "" : ", since " + since);
        }
    }

    /** A run folder is locked by another writer. */
    public static final class LockedException extends NablaException {
        private final transient Holder holder;

        LockedException(String message, Holder holder) {
            super(message);
            this.holder = holder;
        }

        /** Who holds the lock, as far as its record says. */
        public Holder holder() {
            return holder;
        }
    }

    /**
     * Takes the lock of {@code runDir} (created if missing) for this process, recording
     * {@code command} as what holds it. Hold it for the whole run and close it at the end; if the
     * process dies first, the operating system releases it.
     *
     * @throws LockedException      if another process, or another part of this one, holds it: the
     *                              message names the holder and what to do
     * @throws UncheckedIOException if the folder or the lock file cannot be created or locked
     */
    public static RunLock acquire(Path runDir, String command) {
        try {
            Files.createDirectories(runDir);
            Path key = runDir.toRealPath();
            synchronized (HELD) {
                RunLock mine = HELD.get(key);
                if (mine != null) {
                    throw locked(runDir, mine.holder, " (this process)");
                }
                Path file = key.resolve(FILE);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;   // cannot happen while HELD is kept right; refuse rather than close and unlock
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                if (lock == null) {
                    Holder h = read(ch);
                    ch.close();   // not ours: closing drops no lock of this process (HELD has none for it)
                    throw locked(runDir, h, "");
                }
                Holder me = new Holder(ProcessHandle.current().pid(), oneLine(command), Instant.now(), host());
                try {
                    byte[] record = format(me).getBytes(StandardCharsets.UTF_8);
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(record), 0);
                    ch.force(true);
                } catch (IOException | RuntimeException e) {
                    lock.release();
                    ch.close();
                    throw e;
                }
                RunLock l = new RunLock(runDir, key, ch, lock, me);
                HELD.put(key, l);
                return l;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Who is writing {@code runDir} now, if anyone: for readers that want to say a run is in progress.
     * Never takes or disturbs the lock.
     *
     * @throws UncheckedIOException if the lock file exists but cannot be read
     */
    public static Optional<Holder> holder(Path runDir) {
        Path file = runDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            Path key = runDir.toRealPath();
            synchronized (HELD) {
                RunLock mine = HELD.get(key);
                if (mine != null) {
                    return Optional.of(mine.holder);
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);   // shared: fails only while a writer holds it
                    if (probe != null) {
                        probe.release();
                        return Optional.empty();
                    }
                    return Optional.of(read(ch));
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock of run folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The run folder. */
    public Path dir() {
        return dir;
    }

    /** What this lock records about its holder (this process). */
    public Holder holder() {
        return holder;
    }

    /**
     * Deletes the temporary files that killed writes left in the run folder: those whose writer
     * process is gone ({@link AtomicFiles#removeStaleTemporaries}) and, since holding this lock proves
     * no other training writes here, those of versions before temporaries named their writer. Call it
     * once a run has taken the lock, before it writes.
     *
     * @return the files deleted
     * @throws IllegalStateException if the lock was released
     */
    public List<Path> removeStaleTemporaries() {
        synchronized (HELD) {
            if (closed) {
                throw new IllegalStateException("run lock of " + dir + " was released");
            }
        }
        return AtomicFiles.removeTemporaries(dir, true);
    }

    /** Releases the lock (the lock file stays, emptied). Idempotent. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.truncate(0);   // the record would otherwise name a process that no longer holds it
            } catch (IOException ignored) {
                // a stale record is harmless: holder() probes the lock itself
            }
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock of " + dir + ": " + e.getMessage(), e);
            } finally {
                HELD.remove(key, this);
            }
        }
    }

    private static LockedException locked(Path runDir, Holder h, String who) {
        return new LockedException("run folder " + runDir + " is in use by " + h.describe() + who
                + "; wait for it to finish or stop it, or choose another folder", h);
    }

    private static String oneLine(String s) {
        return Json.abbreviate(s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").strip(), 1000);
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                h = "";
            }
        }
        return oneLine(h);
    }

    private static String format(Holder h) {
        return "pid=" + h.pid() + "\ncommand=" + h.command() + "\nsince=" + h.since() + "\nhost=" + h.host() + "\n";
    }

    private static Holder read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long pos = 0;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        long pid;
        try {
            pid = Long.parseLong(kv.getOrDefault("pid", "-1"));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        Instant since;
        try {
            since = kv.containsKey("since") ? Instant.parse(kv.get("since")) : null;
        } catch (DateTimeParseException e) {
            since = null;
        }
        return new Holder(pid, oneLine(kv.getOrDefault("command", "")), since, oneLine(kv.getOrDefault("host", "")));
    }
}
