package dev.nabla.tck;

import dev.nabla.api.tensor.Scope;
import dev.nabla.api.types.UnsupportedKernelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * Runs checks and counts their outcomes for one suite instance (one backend).
 *
 * <p>A check is counted once, after it has run: passed when its body returned, failed when it threw,
 * unsupported when what it threw is (or was caused by) an {@link UnsupportedKernelException}. An
 * unsupported check aborts its dynamic test ("UNSUPPORTED: …", shown as skipped) or, when the
 * suite requires completeness, fails it. Nothing that did not run is counted as passed.
 */
final class Report {
    private final String backend;
    private volatile boolean requireComplete = true;
    private int passed;
    private int failed;
    private int unsupported;
    private final Map<String, String> unsupportedOps = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    Report(String backend) {
        this.backend = backend;
    }

    /** Whether unsupported checks fail (set by the suite before it generates checks). */
    void requireComplete(boolean value) {
        requireComplete = value;
    }

    /** A dynamic test running {@code body} as one check of {@code op}, inside its own scope. */
    DynamicTest check(String op, String name, Executable body) {
        return DynamicTest.dynamicTest(name, () -> run(op, name, body));
    }

    private void run(String op, String name, Executable body) throws Throwable {
        try {
            try (Scope ignored = Scope.open()) {
                body.execute();
            }
        } catch (Throwable t) {
            UnsupportedKernelException u = unsupportedCause(t);
            if (u != null) {
                synchronized (this) {
                    unsupported++;
                    unsupportedOps.putIfAbsent(op, u.getMessage());
                }
                String reason = "UNSUPPORTED: " + op + " (" + name + "): " + u.getMessage();
                if (requireComplete) {
                    Assertions.fail(reason + " — this suite requires a complete backend (requireComplete())", u);
                }
                Assumptions.abort(reason);
            }
            synchronized (this) {
                failed++;
                failures.add(op + " / " + name + ": " + firstLine(t));
            }
            throw t;
        }
        synchronized (this) {
            passed++;
        }
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + " " + (nl < 0 ? m : m.substring(0, nl));
    }

    static UnsupportedKernelException unsupportedCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnsupportedKernelException u) {
                return u;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    synchronized int checks() {
        return passed + failed + unsupported;
    }

    synchronized int passed() {
        return passed;
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int unsupported() {
        return unsupported;
    }

    /** {@code tck[reference]: 812 checks, 812 passed, 0 failed, 0 unsupported}, then the details. */
    synchronized String summary() {
        StringBuilder sb = new StringBuilder("tck[").append(backend).append("]: ").append(checks())
                .append(" checks, ").append(passed).append(" passed, ").append(failed).append(" failed, ")
                .append(unsupported).append(" unsupported");
        if (!unsupportedOps.isEmpty()) {
            sb.append(requireComplete ? " (counted as failures: requireComplete)" : "");
            sb.append("\n  unsupported ops:");
            unsupportedOps.forEach((op, why) -> sb.append("\n    ").append(op).append(": ").append(why));
        }
        if (!failures.isEmpty()) {
            sb.append("\n  failed checks:");
            for (String f : failures) {
                sb.append("\n    ").append(f);
            }
        }
        return sb.toString();
    }
}
