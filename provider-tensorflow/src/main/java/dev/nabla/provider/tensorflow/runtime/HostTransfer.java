package dev.nabla.provider.tensorflow.runtime;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleResolve;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorByteSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;

import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * Moves data between Java arrays and TensorFlow host tensors. A host buffer is allocated by
 * TensorFlow ({@code TF_AllocateTensor}, so it has TensorFlow's alignment and lifetime rules) and read
 * or written through a {@link MemorySegment} over its address; the {@code TF_Tensor} is deleted as
 * soon as an eager handle holds its own reference, and downloads delete the resolved tensor right
 * after copying.
 */
public final class HostTransfer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** The largest Java array length {@link #download} can return. */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private HostTransfer() {
    }

    /**
     * A new, uncounted host handle of {@code dtype} and shape {@code dims} holding a copy of
     * {@code array} (whose Java type must match {@code dtype}; see
     * {@link dev.nabla.api.backend.Kernels#fromArray}).
     */
    public static TFE_TensorHandle upload(DType dtype, long[] dims, Object array) {
        return withNewStatus(status -> upload(dtype, dims, array, status));
    }

    /** {@link #upload(DType, long[], Object)} reporting through {@code status} (a thread's reusable one). */
    static TFE_TensorHandle upload(DType dtype, long[] dims, Object array, TF_Status status) {
        return withHostTensor(dtype, dims, status, data -> {
            switch (array) {
                case float[] a -> MemorySegment.copy(a, 0, data, F32, 0, a.length);
                case double[] a -> MemorySegment.copy(a, 0, data, F64, 0, a.length);
                case int[] a -> MemorySegment.copy(a, 0, data, I32, 0, a.length);
                case long[] a -> MemorySegment.copy(a, 0, data, I64, 0, a.length);
                case boolean[] a -> {
                    for (int i = 0; i < a.length; i++) {
                        data.set(ValueLayout.JAVA_BYTE, i, a[i] ? (byte) 1 : (byte) 0);
                    }
                }
                default -> throw new IllegalArgumentException("unsupported array " + array.getClass());
            }
        });
    }

    /**
     * A new, uncounted host handle of {@code dtype} and shape {@code dims} with every element set to
     * {@code value} converted by the rules of {@link dev.nabla.api.backend.Kernels#fill} (a Java cast:
     * truncation toward zero, saturation, NaN to 0; non-zero is true).
     */
    public static TFE_TensorHandle filled(DType dtype, long[] dims, double value) {
        return withNewStatus(status -> filled(dtype, dims, value, status));
    }

    /** {@link #filled(DType, long[], double)} reporting through {@code status} (a thread's reusable one). */
    static TFE_TensorHandle filled(DType dtype, long[] dims, double value, TF_Status status) {
        return withHostTensor(dtype, dims, status, data -> {
            long n = data.byteSize() / TfTypes.bytes(dtype);
            if (value == 0.0) {
                data.fill((byte) 0);
                return;
            }
            switch (dtype) {
                case FLOAT32 -> {
                    float v = (float) value;
                    for (long i = 0; i < n; i++) {
                        data.setAtIndex(F32, i, v);
                    }
                }
                case FLOAT64 -> {
                    for (long i = 0; i < n; i++) {
                        data.setAtIndex(F64, i, value);
                    }
                }
                case INT32 -> {
                    int v = (int) value;
                    for (long i = 0; i < n; i++) {
                        data.setAtIndex(I32, i, v);
                    }
                }
                case INT64 -> {
                    long v = (long) value;
                    for (long i = 0; i < n; i++) {
                        data.setAtIndex(I64, i, v);
                    }
                }
                case BOOL -> data.fill((byte) 1);
            }
        });
    }

    /** A copy of the handle's elements (it must hold {@code size} elements of {@code dtype}) as a Java array. */
    public static Object download(TFE_TensorHandle handle, DType dtype, long size) {
        checkArrayLength(size);
        return withNewStatus(status -> download(handle, dtype, size, status));
    }

    private static void checkArrayLength(long size) {
        if (size > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("tensorflow backend: toArray: a storage of " + size
                    + " elements does not fit in a Java array (at most " + MAX_ARRAY_LENGTH + " elements)");
        }
    }

    /** {@link #download(TFE_TensorHandle, DType, long)} reporting through {@code status} (a thread's reusable one). */
    static Object download(TFE_TensorHandle handle, DType dtype, long size, TF_Status status) {
        checkArrayLength(size);
        int n = (int) size;
        TF_Tensor tensor = null;
        try {
            tensor = TFE_TensorHandleResolve(handle, status);
            TfRuntime.check(status);
            MemorySegment data = segment(tensor, (long) n * TfTypes.bytes(dtype));
            return switch (dtype) {
                case FLOAT32 -> {
                    float[] a = new float[n];
                    MemorySegment.copy(data, F32, 0, a, 0, n);
                    yield a;
                }
                case FLOAT64 -> {
                    double[] a = new double[n];
                    MemorySegment.copy(data, F64, 0, a, 0, n);
                    yield a;
                }
                case INT32 -> {
                    int[] a = new int[n];
                    MemorySegment.copy(data, I32, 0, a, 0, n);
                    yield a;
                }
                case INT64 -> {
                    long[] a = new long[n];
                    MemorySegment.copy(data, I64, 0, a, 0, n);
                    yield a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = data.get(ValueLayout.JAVA_BYTE, i) != 0;
                    }
                    yield a;
                }
            };
        } finally {
            if (tensor != null) {
                TF_DeleteTensor(tensor);
            }
        }
    }

    private interface Writer {
        void write(MemorySegment data);
    }

    /** Runs {@code call} with a status of its own, deleted afterwards (for callers without a runtime). */
    private static <T> T withNewStatus(java.util.function.Function<TF_Status, T> call) {
        TF_Status status = TF_NewStatus();
        try {
            return call.apply(status);
        } finally {
            TF_DeleteStatus(status);
        }
    }

    /**
     * Bytes of a tensor of {@code dtype} and shape {@code dims}.
     *
     * @throws IllegalArgumentException if the count overflows a {@code long}
     */
    public static long byteSize(DType dtype, long... dims) {
        try {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return Math.multiplyExact(n, (long) TfTypes.bytes(dtype));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensorflow backend: a " + dtype + " tensor of shape "
                    + java.util.Arrays.toString(dims) + " has more than " + Long.MAX_VALUE + " bytes", e);
        }
    }

    private static TFE_TensorHandle withHostTensor(DType dtype, long[] dims, TF_Status status, Writer writer) {
        long bytes = byteSize(dtype, dims);
        TF_Tensor tensor = TF_AllocateTensor(TfTypes.code(dtype), dims, dims.length, bytes);
        if (tensor == null || tensor.isNull()) {
            throw new OutOfMemoryError("tensorflow backend: cannot allocate a host tensor of " + bytes + " bytes");
        }
        try {
            if (bytes > 0) {
                writer.write(segment(tensor, bytes));
            }
            TFE_TensorHandle handle = TFE_NewTensorHandle(tensor, status);
            TfRuntime.check(status);
            return handle;
        } finally {
            // the handle holds its own reference to the buffer
            TF_DeleteTensor(tensor);
        }
    }

    /**
     * The data of a host tensor as a segment of {@code bytes} bytes, checked against the tensor's own
     * size. The data pointer is read through a {@code TF_Tensor} view of it, so that this module names
     * no JavaCPP type. Restricted ({@code reinterpret}): the module is granted native access by
     * {@code --enable-native-access}, as TensorFlow's own modules are.
     */
    @SuppressWarnings("restricted")
    private static MemorySegment segment(TF_Tensor tensor, long bytes) {
        long actual = TF_TensorByteSize(tensor);
        if (actual < bytes) {
            throw new IllegalStateException("tensorflow backend: host tensor holds " + actual
                    + " bytes, expected " + bytes);
        }
        if (bytes == 0) {
            return MemorySegment.NULL;
        }
        long address = new TF_Tensor(TF_TensorData(tensor)).address();
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }
}
