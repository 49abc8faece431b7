package dev.nabla.launcher.command;

import dev.nabla.launcher.UsageException;
import dev.nabla.models.checkpoint.Json;
import dev.nabla.models.checkpoint.RunLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run folder a {@code nabla train} writes, held with its exclusive {@link RunLock} for the whole run:
 * taken before the command decides anything from the folder's contents (resume, overwrite, a taken
 * name), so a second training of the same folder is refused naming the process that holds it, and
 * auto-numbered folders skip one that another training holds. On taking it, the run removes the
 * temporary files that killed saves left ({@link RunLock#removeStaleTemporaries}). Closing it releases
 * the lock and, if this run created the folder and wrote nothing into it (a failed start), removes the
 * folder again; a folder that existed before is never removed, and the lock file of a folder that is
 * kept is never deleted.
 */
final class RunFolder implements AutoCloseable {
    private final Path dir;
    private final RunLock lock;
    private final boolean created;
    private final List<Path> removed;

    private RunFolder(Path dir, RunLock lock, boolean created, List<Path> removed) {
        this.dir = dir;
        this.lock = lock;
        this.created = created;
        this.removed = removed;
    }

    /** The folder. */
    Path dir() {
        return dir;
    }

    /** The stale temporaries removed when the lock was taken. */
    List<Path> removedTemporaries() {
        return removed;
    }

    /**
     * Checks that {@code out} can be a run folder (not empty, not a file, not under a file) without
     * creating anything.
     *
     * @throws UsageException naming what is in the way
     */
    static void requireUsable(Path out, String option) {
        if (out.toString().isBlank()) {
            throw new UsageException(option + " must name a folder, got an empty path");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException(option + " " + out + " is a file, not a folder; give a folder for the run");
        }
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new UsageException(option + " " + out + " cannot be a folder: " + p + " is a file");
            }
        }
    }

    /**
     * Creates {@code dir} if needed and takes its lock.
     *
     * @throws RunLock.LockedException if another training holds it
     * @throws UsageException          if it cannot be created or locked (permissions, {@code /proc})
     */
    static RunFolder lock(Path dir, String commandLine) {
        requireUsable(dir, "--out");
        boolean existed = Files.exists(dir);
        RunLock lock;
        try {
            lock = RunLock.acquire(dir, commandLine);
        } catch (UncheckedIOException e) {
            if (!existed) {
                removeIfEmpty(dir);
            }
            throw new UsageException("cannot use run folder " + dir + ": " + oneLine(e));
        }
        List<Path> removed;
        try {
            removed = lock.removeStaleTemporaries();
        } catch (UncheckedIOException e) {
            removed = List.of();   // leftovers are untidy, not wrong: the run goes on
        }
        return new RunFolder(dir, lock, !existed, removed);
    }

    /**
     * {@link #lock}, refusing a folder another training holds as a usage error naming the holder.
     */
    static RunFolder lockOrRefuse(Path dir, String commandLine) {
        try {
            return lock(dir, commandLine);
        } catch (RunLock.LockedException e) {
            throw new UsageException(Json.abbreviate(TrainedModel.oneLine(e.getMessage()), 1200));
        }
    }

    private static String oneLine(Exception e) {
        return Json.abbreviate(TrainedModel.oneLine(String.valueOf(e.getMessage())), 400);
    }

    /** Releases the lock; removes the folder if this run created it and left nothing in it but the lock file. */
    @Override
    public void close() {
        boolean remove = created && onlyLockFile(dir);
        if (remove) {
            try {   // deleted while still held, so no other process can have taken this very file meanwhile
                Files.deleteIfExists(dir.resolve(RunLock.FILE));
            } catch (IOException e) {
                remove = false;
            }
        }
        lock.close();
        if (remove) {
            removeIfEmpty(dir);
        }
    }

    private static boolean onlyLockFile(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            List<String> names = new ArrayList<>();
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
            return names.equals(List.of(RunLock.FILE));
        } catch (IOException e) {
            return false;
        }
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);   // fails on a folder that is not empty: then it stays
        } catch (IOException e) {
            // not empty, or not ours to remove: leave it
        }
    }
}
