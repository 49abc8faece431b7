package dev.nabla.api.types;

import java.util.Objects;

/**
 * Where a tensor's storage lives: a device type ({@code "cpu"}, {@code "cuda"}, …) and an index
 * among devices of that type.
 *
 * @param type  the device type, lower case
 * @param index the ordinal of the device among those of its type, from 0
 */
public record Device(String type, int index) {
    /** The host CPU. */
    public static final Device CPU = new Device("cpu", 0);

    /** Validates the components. */
    public Device {
        Objects.requireNonNull(type, "type");
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, got " + index);
        }
    }

    /** Renders as {@code cpu} or {@code cuda:1}. */
    @Override
    public String toString() {
        return index == 0 && type.equals("cpu") ? type : type + ":" + index;
    }
}
