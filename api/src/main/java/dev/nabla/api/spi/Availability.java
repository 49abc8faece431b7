package dev.nabla.api.spi;

import java.util.Objects;

/**
 * Whether a provider can be used on this machine and, if not, why (a missing native library, no GPU,
 * the wrong platform).
 *
 * @param available true if the provider can be used
 * @param reason    a one-line explanation; for an available provider a short description of what it
 *                  found (e.g. the library it loaded), never null
 */
public record Availability(boolean available, String reason) {
    /** Validates the components. */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** An available provider, with a note on what it found. */
    public static Availability available(String note) {
        return new Availability(true, note);
    }

    /** An unavailable provider, with the reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
