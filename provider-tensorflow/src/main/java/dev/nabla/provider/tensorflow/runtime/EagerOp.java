package dev.nabla.provider.tensorflow.runtime;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_Execute;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpAddInput;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpReset;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrBool;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrInt;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrIntList;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_OpSetAttrType;

import dev.nabla.api.types.DType;
import java.lang.ref.Cleaner;
import java.util.HashMap;
import org.tensorflow.internal.c_api.TFE_Op;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * One TensorFlow eager operation with a single output: named, given inputs and attributes, then
 * executed once. The output handle belongs to the caller and is counted by the runtime.
 *
 * <pre>{@code
 * try (EagerOp op = EagerOp.of(runtime, "AddV2")) {
 *     TFE_TensorHandle sum = op.input(a).input(b).type("T", DType.FLOAT32).execute();
 * }
 * }</pre>
 *
 * <p><b>Reuse.</b> Creating a {@code TFE_Op} is a good part of an eager op's dispatch cost, so each
 * thread keeps its idle ops by type, and {@link #of} resets one ({@code TFE_OpReset}, TensorFlow's
 * entry point for exactly this) instead of creating a new one; {@link #close()} returns it. A thread
 * also reuses one {@code TF_Status} (for every call the runtime makes on it, transfers included) and
 * the holder {@code TFE_Execute} writes its output into. A thread's idle ops (at most one per op type it used) are deleted
 * by {@link TfRuntime#releaseThreadState()}, or after the thread has died (see {@link PerThread}).
 */
public final class EagerOp implements AutoCloseable {
    /**
     * A thread's reusable status and idle ops, for one runtime. When the thread dies its state becomes
     * unreachable and a {@link Cleaner} deletes the ops and the status (this is a cache of a few
     * small, bounded objects per thread, never tensor memory, which is always freed explicitly).
     */
    static final class PerThread {
        private static final Cleaner CLEANER = Cleaner.create();

        final TF_Status status;
        final HashMap<String, TFE_Op> idle;
        /** Receives {@code TFE_Execute}'s output address; a fresh wrapper is returned to the caller. */
        final TFE_TensorHandle out = new TFE_TensorHandle();
        /** {@code TFE_Execute}'s in/out output count. */
        final int[] count = new int[1];
        private final Cleaner.Cleanable cleanable;

        PerThread() {
            TF_Status s = org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus();
            HashMap<String, TFE_Op> m = new HashMap<>();
            this.status = s;
            this.idle = m;
            this.cleanable = CLEANER.register(this, () -> free(s, m));
        }

        /** Deletes the ops and the status now; idempotent. */
        void release() {
            cleanable.clean();
        }

        private static void free(TF_Status status, HashMap<String, TFE_Op> idle) {
            for (TFE_Op op : idle.values()) {
                TFE_DeleteOp(op);
            }
            idle.clear();
            org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus(status);
        }
    }

    private final PerThread state;
    private final String name;
    private final TF_Status status;
    private final TFE_Op op;

    private EagerOp(TfRuntime runtime, String name) {
        this.state = runtime.perThread();
        this.name = name;
        this.status = state.status;
        TFE_Op reused = state.idle.remove(name);
        if (reused != null) {
            TFE_OpReset(reused, name, null, status);
            if (org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode(status) == 0) {
                this.op = reused;
                this.runtime = runtime;
                return;
            }
            TFE_DeleteOp(reused);
        }
        TFE_Op created = TFE_NewOp(runtime.context(), name, status);
        TfRuntime.check(status);
        this.op = created;
        this.runtime = runtime;
    }

    private final TfRuntime runtime;

    /** A new op of TensorFlow type {@code name} (e.g. {@code "AddV2"}) in the runtime's context. */
    public static EagerOp of(TfRuntime runtime, String name) {
        return new EagerOp(runtime, name);
    }

    /** Adds the next input. */
    public EagerOp input(TFE_TensorHandle handle) {
        TFE_OpAddInput(op, handle, status);
        check();
        return this;
    }

    /** Sets a type attribute to {@code dtype}. */
    public EagerOp type(String attr, DType dtype) {
        TFE_OpSetAttrType(op, attr, TfTypes.code(dtype));
        return this;
    }

    /** Sets a type attribute to a TensorFlow type code. */
    public EagerOp typeCode(String attr, int code) {
        TFE_OpSetAttrType(op, attr, code);
        return this;
    }

    /** Sets a bool attribute. */
    public EagerOp bool(String attr, boolean value) {
        TFE_OpSetAttrBool(op, attr, value ? (byte) 1 : (byte) 0);
        return this;
    }

    /** Sets an int attribute. */
    public EagerOp integer(String attr, long value) {
        TFE_OpSetAttrInt(op, attr, value);
        return this;
    }

    /** Sets an int-list attribute. */
    public EagerOp ints(String attr, long[] values) {
        TFE_OpSetAttrIntList(op, attr, values, values.length);
        return this;
    }

    /**
     * Runs the op and returns its (single) output, counted as live by the runtime.
     *
     * @throws org.tensorflow.exceptions.TensorFlowException (or one of its specific subclasses) when
     *         TensorFlow reports an error
     */
    public TFE_TensorHandle execute() {
        TFE_TensorHandle out = state.out;
        int[] count = state.count;
        out.setNull();
        count[0] = 1;
        TFE_Execute(op, out, count, status);
        check();
        if (count[0] != 1 || out.isNull()) {
            throw new IllegalStateException("tensorflow backend: op " + name + " returned " + count[0] + " outputs");
        }
        TFE_TensorHandle result = new TFE_TensorHandle(out);
        out.setNull();
        return runtime.track(result);
    }

    private void check() {
        TfRuntime.check(status);
    }

    /** Returns the op to its thread's idle set for reuse (or deletes it); the output is not touched. */
    @Override
    public void close() {
        TFE_Op previous = state.idle.put(name, op);
        if (previous != null) {
            TFE_DeleteOp(previous);
        }
    }

    /** Deletes a thread's idle ops and its status. */
    static void releaseThreadState(PerThread state) {
        state.release();
    }
}
