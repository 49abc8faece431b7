package dev.nabla.provider.tensorflow.runtime;

import dev.nabla.api.types.DType;

/**
 * The mapping between Nabla's {@link DType}s and TensorFlow's {@code TF_DataType} codes, with the
 * element size of each in a TensorFlow host buffer (bool is one byte per element).
 */
public final class TfTypes {
    /** {@code TF_FLOAT}. */
    public static final int TF_FLOAT = 1;
    /** {@code TF_DOUBLE}. */
    public static final int TF_DOUBLE = 2;
    /** {@code TF_INT32}. */
    public static final int TF_INT32 = 3;
    /** {@code TF_INT64}. */
    public static final int TF_INT64 = 9;
    /** {@code TF_BOOL}. */
    public static final int TF_BOOL = 10;

    private TfTypes() {
    }

    /** The TensorFlow type code of {@code dtype}. */
    public static int code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> TF_FLOAT;
            case FLOAT64 -> TF_DOUBLE;
            case INT32 -> TF_INT32;
            case INT64 -> TF_INT64;
            case BOOL -> TF_BOOL;
        };
    }

    /** Bytes per element of {@code dtype} in a TensorFlow buffer. */
    public static int bytes(DType dtype) {
        return switch (dtype) {
            case FLOAT32, INT32 -> 4;
            case FLOAT64, INT64 -> 8;
            case BOOL -> 1;
        };
    }
}
