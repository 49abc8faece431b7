package dev.nabla.models.optim;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.tck.ForwardingKernels;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference backend's kernels, counting the calls that create a storage ({@code allocate},
 * {@code fromArray}): the test that optimizer steps allocate nothing.
 */
public final class CountingKernels extends ForwardingKernels {
    /** Storages created so far. */
    public final AtomicLong allocations = new AtomicLong();

    private CountingKernels(dev.nabla.api.backend.Kernels k) {
        super(k);
    }

    /** A backend over the reference kernels that counts allocations; the counter lands in {@code counter[0]}. */
    public static Backend backend(CountingKernels[] counter) {
        return ForwardingKernels.backend("counting", dev.nabla.api.Nabla.backend("reference"),
                k -> counter[0] = new CountingKernels(k));
    }

    @Override
    public Storage allocate(DType dtype, long size) {
        allocations.incrementAndGet();
        return super.allocate(dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        allocations.incrementAndGet();
        return super.fromArray(array);
    }
}
