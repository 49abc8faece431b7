package dev.nabla.models.checkpoint;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;

import java.nio.file.Path;

/**
 * What the tests run in a child JVM ({@link ForkedJvm}), chosen by the first argument:
 * <ul>
 *   <li>{@code read FILE…}: reads each file with {@link SafeTensors#read} and prints one line per file,
 *       {@code FILE valid|refused|unexpected|oom MILLIS MESSAGE-LENGTH: MESSAGE (first 300 chars)};</li>
 *   <li>{@code lock DIR COMMAND}: takes the run lock of DIR, prints {@code locked PID}, and waits to be killed;</li>
 *   <li>{@code stuck FILE}: starts an atomic write of FILE, prints {@code writing PID} once some bytes
 *       are out, and waits to be killed mid-write.</li>
 * </ul>
 */
public final class Probes {
    private Probes() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "read" -> {
                TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
                for (int i = 1; i < args.length; i++) {
                    System.out.println(args[i] + " " + read(Path.of(args[i]), f));
                }
            }
            case "lock" -> {
                RunLock.acquire(Path.of(args[1]), args[2]);
                System.out.println("locked " + ProcessHandle.current().pid());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "stuck" -> AtomicFiles.write(Path.of(args[1]), out -> {
                out.write(new byte[4096]);
                out.flush();
                System.out.println("writing " + ProcessHandle.current().pid());
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            });
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static String read(Path file, TensorFactory f) {
        long t0 = System.nanoTime();
        String outcome;
        String message = "";
        try {
            SafeTensors.read(file, f).close();
            outcome = "valid";
        } catch (NablaException e) {
            outcome = "refused";
            message = e.getMessage();
        } catch (OutOfMemoryError e) {
            outcome = "oom";
        } catch (Throwable e) {
            outcome = "unexpected";
            message = e.toString();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return outcome + " " + ms + " " + message.length() + ": " + message.substring(0, Math.min(300, message.length()));
    }
}
