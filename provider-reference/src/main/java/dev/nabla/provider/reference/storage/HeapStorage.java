package dev.nabla.provider.reference.storage;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.api.types.UnsupportedKernelException;

/**
 * A {@link Storage} backed by one Java primitive array: {@code float[]} for float32, {@code double[]}
 * for float64, {@code int[]} for int32, {@code long[]} for int64 and {@code boolean[]} for bool.
 *
 * <p>Besides the typed {@code data()} of each subclass, every storage offers element accessors
 * through {@code double} and {@code long}, converting on write by the rules of
 * {@link dev.nabla.api.backend.Kernels#cast}: float to integer truncates toward zero (saturating, NaN
 * to 0, as a Java cast), int64 to int32 wraps, anything to bool is {@code x != 0}, bool reads as 0 or 1.
 *
 * <p>{@link #release()} drops the array so that the garbage collector may reclaim it; it is idempotent.
 * Another thread may release a storage while a kernel uses it: the kernel then fails with
 * {@link ReleasedTensorException} — {@link #failure} turns what a dropped array throws into it, and
 * {@link #verify} checks once the kernel is done — so a released storage never yields a value.
 */
public abstract sealed class HeapStorage implements Storage {
    /** The largest number of elements a Java array can reliably hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final int length;
    private volatile boolean released;

    private HeapStorage(DType dtype, int length) {
        this.dtype = dtype;
        this.length = length;
    }

    /**
     * A zero-filled storage of {@code size} elements.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws UnsupportedKernelException if {@code size} exceeds {@link #MAX_ELEMENTS}
     */
    public static HeapStorage allocate(DType dtype, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("reference backend: allocate: negative size " + size);
        }
        if (size > MAX_ELEMENTS) {
            throw new UnsupportedKernelException("reference backend: allocate: " + size + " elements of "
                    + dtype + " exceed the Java array limit of " + MAX_ELEMENTS + " elements");
        }
        int n = (int) size;
        return switch (dtype) {
            case FLOAT32 -> new Float32(new float[n]);
            case FLOAT64 -> new Float64(new double[n]);
            case INT32 -> new Int32(new int[n]);
            case INT64 -> new Int64(new long[n]);
            case BOOL -> new Bool(new boolean[n]);
        };
    }

    /**
     * A storage holding a copy of {@code array}, whose type decides the dtype.
     *
     * @throws IllegalArgumentException if {@code array} is not one of the five supported array types
     */
    public static HeapStorage copyOf(Object array) {
        return switch (array) {
            case float[] a -> new Float32(a.clone());
            case double[] a -> new Float64(a.clone());
            case int[] a -> new Int32(a.clone());
            case long[] a -> new Int64(a.clone());
            case boolean[] a -> new Bool(a.clone());
            case null -> throw new IllegalArgumentException("reference backend: fromArray: array is null");
            default -> throw new IllegalArgumentException("reference backend: fromArray: unsupported array type "
                    + array.getClass().getTypeName()
                    + "; expected float[], double[], int[], long[] or boolean[]");
        };
    }

    /**
     * The heap storage behind {@code storage}, checked to be live.
     *
     * @throws IllegalArgumentException if the storage belongs to another backend
     * @throws ReleasedTensorException if it has been released
     */
    public static HeapStorage of(Storage storage) {
        if (!(storage instanceof HeapStorage h)) {
            throw new IllegalArgumentException("reference backend: storage of class "
                    + (storage == null ? "null" : storage.getClass().getName()) + " belongs to another backend");
        }
        if (h.released) {
            throw h.releasedError("reference backend", null);
        }
        return h;
    }

    /**
     * Checks, after {@code kernel} ran, that none of {@code storages} was released meanwhile.
     *
     * @throws ReleasedTensorException naming the kernel and the storage if one was
     */
    public static void verify(String kernel, Storage... storages) {
        java.lang.invoke.VarHandle.acquireFence();
        for (Storage s : storages) {
            if (s instanceof HeapStorage h && h.released) {
                throw h.releasedError(kernel, null);
            }
        }
    }

    /**
     * What a kernel that failed with {@code e} should throw: a {@link ReleasedTensorException} (with
     * {@code e} as its cause) if one of {@code storages} was released meanwhile — its array dropped under
     * the loop — else {@code e} itself.
     */
    public static RuntimeException failure(String kernel, RuntimeException e, Storage... storages) {
        java.lang.invoke.VarHandle.acquireFence();
        for (Storage s : storages) {
            if (s instanceof HeapStorage h && h.released && !(e instanceof ReleasedTensorException)) {
                return h.releasedError(kernel, e);
            }
        }
        return e;
    }

    private ReleasedTensorException releasedError(String where, Throwable cause) {
        ReleasedTensorException e = new ReleasedTensorException(where + ": " + dtype + " storage of " + length
                + " elements used after release: its tensor was released (its scope closed or it was closed, on"
                + " this or another thread); keep() it to use it after its scope");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final long size() {
        return length;
    }

    /** The number of elements, as an {@code int}. */
    public final int length() {
        return length;
    }

    @Override
    public final void release() {
        released = true;
        dropArray();
    }

    @Override
    public final boolean isReleased() {
        return released;
    }

    /** The backing array itself (not a copy), typed as {@code Object} for {@link System#arraycopy}. */
    public abstract Object array();

    /** Element {@code i} as a double (bool is 0 or 1; int64 beyond 2^53 rounds). */
    public abstract double getDouble(int i);

    /** Stores {@code v} at {@code i}, converted to this dtype. */
    public abstract void setDouble(int i, double v);

    /** Element {@code i} as a long (floats truncate toward zero; bool is 0 or 1). */
    public abstract long getLong(int i);

    /** Stores {@code v} at {@code i}, converted to this dtype (int32 wraps). */
    public abstract void setLong(int i, long v);

    /** Copies element {@code j} of {@code src}, which has this storage's dtype, to element {@code i}. */
    public abstract void setFrom(int i, HeapStorage src, int j);

    abstract void dropArray();

    /** A copy of the contents, as an array of the dtype's Java type. */
    public final Object toArray() {
        return switch (this) {
            case Float32 s -> s.data().clone();
            case Float64 s -> s.data().clone();
            case Int32 s -> s.data().clone();
            case Int64 s -> s.data().clone();
            case Bool s -> s.data().clone();
        };
    }

    @Override
    public String toString() {
        return "HeapStorage[" + dtype + " x " + length + (released ? ", released]" : "]");
    }

    /** Float32 storage over a {@code float[]}. */
    public static final class Float32 extends HeapStorage {
        private float[] data;

        Float32(float[] data) {
            super(DType.FLOAT32, data.length);
            this.data = data;
        }

        /** The backing array. */
        public float[] data() {
            return data;
        }

        @Override
        public Object array() {
            return data;
        }

        @Override
        public double getDouble(int i) {
            return data[i];
        }

        @Override
        public void setDouble(int i, double v) {
            data[i] = (float) v;
        }

        @Override
        public long getLong(int i) {
            return (long) data[i];
        }

        @Override
        public void setLong(int i, long v) {
            data[i] = (float) v;
        }

        @Override
        public void setFrom(int i, HeapStorage src, int j) {
            data[i] = ((Float32) src).data[j];
        }

        @Override
        void dropArray() {
            data = null;
        }
    }

    /** Float64 storage over a {@code double[]}. */
    public static final class Float64 extends HeapStorage {
        private double[] data;

        Float64(double[] data) {
            super(DType.FLOAT64, data.length);
            this.data = data;
        }

        /** The backing array. */
        public double[] data() {
            return data;
        }

        @Override
        public Object array() {
            return data;
        }

        @Override
        public double getDouble(int i) {
            return data[i];
        }

        @Override
        public void setDouble(int i, double v) {
            data[i] = v;
        }

        @Override
        public long getLong(int i) {
            return (long) data[i];
        }

        @Override
        public void setLong(int i, long v) {
            data[i] = v;
        }

        @Override
        public void setFrom(int i, HeapStorage src, int j) {
            data[i] = ((Float64) src).data[j];
        }

        @Override
        void dropArray() {
            data = null;
        }
    }

    /** Int32 storage over an {@code int[]}. */
    public static final class Int32 extends HeapStorage {
        private int[] data;

        Int32(int[] data) {
            super(DType.INT32, data.length);
            this.data = data;
        }

        /** The backing array. */
        public int[] data() {
            return data;
        }

        @Override
        public Object array() {
            return data;
        }

        @Override
        public double getDouble(int i) {
            return data[i];
        }

        @Override
        public void setDouble(int i, double v) {
            data[i] = (int) v;
        }

        @Override
        public long getLong(int i) {
            return data[i];
        }

        @Override
        public void setLong(int i, long v) {
            data[i] = (int) v;
        }

        @Override
        public void setFrom(int i, HeapStorage src, int j) {
            data[i] = ((Int32) src).data[j];
        }

        @Override
        void dropArray() {
            data = null;
        }
    }

    /** Int64 storage over a {@code long[]}. */
    public static final class Int64 extends HeapStorage {
        private long[] data;

        Int64(long[] data) {
            super(DType.INT64, data.length);
            this.data = data;
        }

        /** The backing array. */
        public long[] data() {
            return data;
        }

        @Override
        public Object array() {
            return data;
        }

        @Override
        public double getDouble(int i) {
            return data[i];
        }

        @Override
        public void setDouble(int i, double v) {
            data[i] = (long) v;
        }

        @Override
        public long getLong(int i) {
            return data[i];
        }

        @Override
        public void setLong(int i, long v) {
            data[i] = v;
        }

        @Override
        public void setFrom(int i, HeapStorage src, int j) {
            data[i] = ((Int64) src).data[j];
        }

        @Override
        void dropArray() {
            data = null;
        }
    }

    /** Bool storage over a {@code boolean[]}. */
    public static final class Bool extends HeapStorage {
        private boolean[] data;

        Bool(boolean[] data) {
            super(DType.BOOL, data.length);
            this.data = data;
        }

        /** The backing array. */
        public boolean[] data() {
            return data;
        }

        @Override
        public Object array() {
            return data;
        }

        @Override
        public double getDouble(int i) {
            return data[i] ? 1.0 : 0.0;
        }

        @Override
        public void setDouble(int i, double v) {
            data[i] = v != 0;
        }

        @Override
        public long getLong(int i) {
            return data[i] ? 1L : 0L;
        }

        @Override
        public void setLong(int i, long v) {
            data[i] = v != 0;
        }

        @Override
        public void setFrom(int i, HeapStorage src, int j) {
            data[i] = ((Bool) src).data[j];
        }

        @Override
        void dropArray() {
            data = null;
        }
    }
}
