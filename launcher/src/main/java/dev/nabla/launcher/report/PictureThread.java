package dev.nabla.launcher.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Draws a run's pictures on a daemon thread of its own ({@value #THREAD_NAME}), one after the other in the
 * order they are handed in, while the caller goes on computing what the next picture shows (samples, a
 * density grid), so that on a machine with two cores the drawing overlaps that work. {@link #await}
 * returns the names of the pictures drawn, or throws the first drawing's failure, as drawing them in the
 * caller's thread would have. (Loading AWT, the fonts and XChart on this thread while the run trains was
 * measured too, and did not pay: it competes with the JIT for the second core; docs/startup.md.)
 */
public final class PictureThread implements AutoCloseable {
    /** The drawing thread's name. */
    public static final String THREAD_NAME = "nabla-pictures";

    private final ExecutorService executor = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(r));
    private final List<String> names = new ArrayList<>();
    private final List<Future<?>> drawings = new ArrayList<>();

    /** Hands in a picture: {@code drawing} writes the file {@code name}. */
    public void draw(String name, Runnable drawing) {
        names.add(name);
        drawings.add(executor.submit(drawing));
    }

    /**
     * Waits for every picture handed in and returns their names in that order, up to the first that
     * failed; that failure is then thrown (a {@link RuntimeException} or an {@link Error}), once the
     * others have finished.
     */
    public List<String> await() {
        List<String> written = new ArrayList<>();
        Throwable failure = null;
        boolean interrupted = false;
        for (int i = 0; i < drawings.size(); i++) {
            while (true) {
                try {
                    drawings.get(i).get();
                    if (failure == null) {
                        written.add(names.get(i));
                    }
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;   // the pictures are the last thing a run writes: finish them
                }
            }
        }
        names.clear();
        drawings.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("drawing failed: " + failure, failure);
        }
        return written;
    }

    /** Stops the thread; a picture still being drawn is finished first. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
