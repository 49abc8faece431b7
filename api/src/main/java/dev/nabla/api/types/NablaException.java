package dev.nabla.api.types;

/**
 * Base of every exception Nabla throws for misuse or failure. Messages name the operation and the
 * offending shapes, dtypes, axes or values, e.g.
 * {@code matmul: shapes [3, 4] and [5, 2] do not match on the inner dimension (4 vs 5)}.
 */
public class NablaException extends RuntimeException {
    /** An exception with the given message. */
    public NablaException(String message) {
        super(message);
    }

    /** An exception with the given message and cause. */
    public NablaException(String message, Throwable cause) {
        super(message, cause);
    }
}
