package dev.nabla.launcher;

/**
 * A mistake on the command line (an unknown model, data set, backend or flag, a missing checkpoint):
 * the command prints its message as one line and exits with status {@value #EXIT_STATUS}, without a
 * stack trace. The message names what was wrong and the valid choices.
 */
public final class UsageException extends RuntimeException {
    /** The exit status of a usage error. */
    public static final int EXIT_STATUS = 2;

    /** A usage error with its one-line message. */
    public UsageException(String message) {
        super(message, null, false, false);
    }

    /** A usage error whose message is built from what was given and the valid choices. */
    public static UsageException unknown(String what, String given, java.util.Collection<String> valid) {
        return new UsageException("unknown " + what + " '" + given + "'; valid: " + String.join(", ", valid));
    }
}
