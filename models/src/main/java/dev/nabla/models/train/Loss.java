package dev.nabla.models.train;

import dev.nabla.api.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one update's loss function returns: the scalar the optimizer minimises and, optionally, named
 * scalar parts that the loop reports to its listeners next to it (and so into {@code metrics.csv}, the
 * progress display and {@code loss.png} of the {@code nabla} command): a VAE's {@code recon} and
 * {@code kl}, a GAN's {@code d_real} and {@code d_fake}.
 * <pre>{@code
 * // given: Tensor recon, Tensor kl
 * Loss elbo = Loss.of(recon.add(kl)).with("recon", recon).with("kl", kl);
 * }</pre>
 * The parts are only read ({@code item()}), never differentiated.
 *
 * @param value the scalar to minimise; it must require grad
 * @param parts named scalars reported with it, in order (unmodifiable)
 */
public record Loss(Tensor value, Map<String, Tensor> parts) {
    /** Checks the value is given and copies the parts. */
    public Loss {
        if (value == null) {
            throw new IllegalArgumentException("Loss: the value must not be null");
        }
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** A loss without parts. */
    public static Loss of(Tensor value) {
        return new Loss(value, Map.of());
    }

    /**
     * This loss with one more part.
     *
     * @throws IllegalArgumentException if {@code name} is empty or already a part
     */
    public Loss with(String name, Tensor part) {
        if (name == null || name.isEmpty() || parts.containsKey(name)) {
            throw new IllegalArgumentException("Loss: part name '" + name + "' is empty or given twice; parts: " + parts.keySet());
        }
        Map<String, Tensor> m = new LinkedHashMap<>(parts);
        m.put(name, part);
        return new Loss(value, m);
    }
}
