package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A block that draws random numbers from its own {@link Generator} while it runs (dropout). Trainers
 * save and restore these generators in checkpoints so a resumed run draws the same numbers as an
 * uninterrupted one; {@link #find} collects them from a block tree by dotted path.
 */
public interface Stochastic {
    /** The generator the block draws from now. */
    Generator generator();

    /** Replaces the generator (with {@link Generator#fromState} of a saved state). */
    void generator(Generator random);

    /** Every stochastic block in the tree under {@code root} (itself included, as {@code ""}) by dotted path. */
    static Map<String, Stochastic> find(Block root) {
        Map<String, Stochastic> out = new LinkedHashMap<>();
        collect("", root, out);
        return out;
    }

    private static void collect(String path, Block b, Map<String, Stochastic> out) {
        if (b instanceof Stochastic s) {
            out.put(path, s);
        }
        b.children().forEach((name, child) -> collect(path.isEmpty() ? name : path + "." + name, child, out));
    }
}
