package dev.nabla.api.tensor;

import dev.nabla.api.backend.Storage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference-counted hold on a backend {@link Storage}, shared by a tensor and the views made from
 * it without copying (reshape, squeeze, unsqueeze). The storage is released when the last tensor
 * holding it is closed, so a kept view stays valid after the scope of its base closes.
 */
final class Buffer {
    private final Storage storage;
    private final AtomicInteger refs = new AtomicInteger(1);

    Buffer(Storage storage) {
        this.storage = storage;
    }

    Storage storage() {
        return storage;
    }

    Buffer retain() {
        refs.incrementAndGet();
        return this;
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            storage.release();
        }
    }
}
