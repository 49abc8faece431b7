package dev.nabla.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The injector is built on a thread of its own while picocli reads the commands ({@code Main.run}): a
 * command still gets its injected parts, and what the injector's creation throws reaches the caller as
 * it would have on the calling thread, not wrapped in a {@code CompletionException}.
 */
class InjectorThreadTest {
    @Test
    void aCommandRunsWithItsInjectedPartsAfterTheInjectorIsBuiltElsewhere() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), "list");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
        // the model families and flows come from registries the injector provides
        assertTrue(text.contains("realnvp") && text.contains("maf"), text);
    }

    @Test
    void whatTheCreationThrewIsRethrownAsItWas() {
        IllegalStateException bad = new IllegalStateException("a binding is missing");
        CompletableFuture<Injector> failed = new CompletableFuture<>();
        failed.completeExceptionally(bad);
        assertSame(bad, assertThrows(IllegalStateException.class, () -> Main.joined(failed)));

        StackOverflowError error = new StackOverflowError();
        CompletableFuture<Injector> broken = new CompletableFuture<>();
        broken.completeExceptionally(error);
        assertSame(error, assertThrows(StackOverflowError.class, () -> Main.joined(broken)));
    }
}
