package dev.nabla.launcher.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picture thread draws off the caller's thread, in order, and reports as drawing in place would. */
class PictureThreadTest {
    @Test
    void drawsOnItsOwnThreadInOrderWhileTheCallerGoesOn() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch callerDone = new CountDownLatch(1);
        try (PictureThread pictures = new PictureThread()) {
            pictures.draw("a.png", () -> {
                order.add("a on " + Thread.currentThread().getName());
                try {   // the caller is not held up by a drawing: it gets here before this one ends
                    assertTrue(callerDone.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            pictures.draw("b.png", () -> order.add("b"));
            callerDone.countDown();
            assertEquals(List.of("a.png", "b.png"), pictures.await());
        }
        assertEquals(List.of("a on " + PictureThread.THREAD_NAME, "b"), order);
    }

    @Test
    void theFirstFailureIsThrownOnceEveryDrawingHasEnded() {
        IllegalStateException broken = new IllegalStateException("no fonts");
        List<String> drawn = new CopyOnWriteArrayList<>();
        try (PictureThread pictures = new PictureThread()) {
            pictures.draw("loss.png", () -> drawn.add("loss.png"));
            pictures.draw("samples.png", () -> {
                throw broken;
            });
            pictures.draw("density.png", () -> drawn.add("density.png"));
            IllegalStateException thrown = assertThrows(IllegalStateException.class, pictures::await);
            assertSame(broken, thrown);
            assertEquals(List.of("loss.png", "density.png"), drawn);
            assertEquals(List.of(), pictures.await(), "await forgets what it reported");
        }
    }

    @Test
    void anErrorIsThrownAsItself() {
        try (PictureThread pictures = new PictureThread()) {
            pictures.draw("x.png", () -> {
                throw new java.awt.AWTError("headless toolkit missing");
            });
            assertThrows(java.awt.AWTError.class, pictures::await);
        }
    }
}
