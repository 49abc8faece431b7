package dev.nabla.api.types;

/**
 * The element type of a tensor.
 *
 * <p>{@link #FLOAT32} is the default for tensors created from Java numbers; {@link #FLOAT64} exists
 * chiefly for gradient checks and float64 references; {@link #INT32} and {@link #INT64} hold indices
 * and counts; {@link #BOOL} holds masks (the result of comparisons).
 */
public enum DType {
    /** 32-bit IEEE-754 float; the default. */
    FLOAT32("float32", 4, true),
    /** 64-bit IEEE-754 float. */
    FLOAT64("float64", 8, true),
    /** 32-bit two's-complement integer. */
    INT32("int32", 4, false),
    /** 64-bit two's-complement integer; the dtype of indices and of {@code argmax}. */
    INT64("int64", 8, false),
    /** Boolean; the dtype of masks and comparison results. */
    BOOL("bool", 1, false);

    private final String displayName;
    private final int byteSize;
    private final boolean floating;

    DType(String displayName, int byteSize, boolean floating) {
        this.displayName = displayName;
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element in a dense layout. */
    public int byteSize() {
        return byteSize;
    }

    /** True for {@link #FLOAT32} and {@link #FLOAT64}: the dtypes gradients flow through. */
    public boolean isFloatingPoint() {
        return floating;
    }

    /** True for {@link #INT32} and {@link #INT64}. */
    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    /** The lower-case name used in messages and files, e.g. {@code float32}. */
    @Override
    public String toString() {
        return displayName;
    }

    /**
     * Parses a name such as {@code "float32"} or {@code "FLOAT32"}.
     *
     * @throws IllegalArgumentException naming the valid choices when {@code name} is not one
     */
    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.displayName.equalsIgnoreCase(name) || d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name
                + "'; valid: float32, float64, int32, int64, bool");
    }
}
