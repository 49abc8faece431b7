package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Adam}, {@link SGD} and {@link RMSProp} share besides their update equations: one
 * {@link Slot} per parameter, whose named state tensors make up {@link #state()} (for checkpoints) and
 * whose scratch storages {@link #close()} releases.
 */
abstract class InPlaceOptimizer extends Optimizer {
    /** One slot per parameter, in the parameters' order; the subclass allocates their state and scratch. */
    final List<Slot> slots = new ArrayList<>();

    InPlaceOptimizer(Map<String, Tensor> parameters, double learningRate) {
        super(parameters, learningRate);
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            slots.add(new Slot(e.getKey(), e.getValue()));
        }
    }

    /**
     * Every slot's state tensors as {@code paramName.key}, grouped by key (in the order the keys were
     * first made), parameters in order within a key: PyTorch's state order.
     */
    @Override
    public final Map<String, Tensor> state() {
        Set<String> keys = new LinkedHashSet<>();
        slots.forEach(s -> keys.addAll(s.states().keySet()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : keys) {
            for (Slot s : slots) {
                Tensor t = s.states().get(k);
                if (t != null) {
                    out.put(s.name + "." + k, t);
                }
            }
        }
        return out;
    }

    /** Releases the state tensors, then the slots' scratch and scalar storages. */
    @Override
    public void close() {
        super.close();
        slots.forEach(Slot::close);
    }
}
