package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Slot}s of an in-place optimizer, one per parameter in order: what the optimizers share
 * besides their update equations — the checkpointable state listing and the release of scratch storages.
 */
final class Slots implements AutoCloseable {
    private final List<Slot> all = new ArrayList<>();

    /** A new slot for parameter {@code name}, kept for {@link #state()} and {@link #close()}. */
    Slot add(String name, Tensor param) {
        Slot s = new Slot(name, param);
        all.add(s);
        return s;
    }

    /**
     * Every slot's state tensors as {@code paramName.key}, grouped by key (in the order the keys were
     * first made), parameters in order within a key — PyTorch's state order.
     */
    Map<String, Tensor> state() {
        Set<String> keys = new LinkedHashSet<>();
        all.forEach(s -> keys.addAll(s.states().keySet()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : keys) {
            for (Slot s : all) {
                Tensor t = s.states().get(k);
                if (t != null) {
                    out.put(s.name + "." + k, t);
                }
            }
        }
        return out;
    }

    /** Releases the slots' scratch and scalar storages (the state tensors are the optimizer's to close). */
    @Override
    public void close() {
        all.forEach(Slot::close);
    }
}
