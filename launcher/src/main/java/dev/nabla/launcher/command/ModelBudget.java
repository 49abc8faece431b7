package dev.nabla.launcher.command;

import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.UsageException;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.checkpoint.Json;
import dev.nabla.models.checkpoint.SizeBudget;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelRequest;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The memory a model may take, checked before it is built: a model whose keys ({@code --set hidden=40000})
 * or whose checkpoint's {@code model_config} describe more than this JVM can allocate is refused as a
 * usage error naming its size in bytes, instead of ending in an {@link OutOfMemoryError}, a failed native
 * allocation or a hang; and a checkpoint whose tensors are not what its {@code model_config} describes is
 * refused before the model is built. The budget is what the heap can still take
 * ({@link SizeBudget#heapHeadroom}), or {@code -D}{@value #PROPERTY}{@code =BYTES}.
 */
final class ModelBudget {
    /** The system property that sets the budget in bytes (default: the heap's headroom). */
    static final String PROPERTY = "nabla.maxModelBytes";
    /** Training holds the state, its gradients and (Adam) two moments: about four copies. */
    static final int TRAINING_COPIES = 4;

    private ModelBudget() {
    }

    /** The bytes a model's tensors may take. */
    static long available() {
        Long p = Long.getLong(PROPERTY);
        return p != null && p > 0 ? p : SizeBudget.heapHeadroom();
    }

    /**
     * Refuses to train a model whose state, with its gradients and optimizer state, does not fit.
     *
     * @throws UsageException naming the model's size in bytes and the budget
     * @throws IllegalArgumentException (from the family) for a bad key, naming it
     */
    static void requireTrainable(ModelFamily family, ModelRequest request) {
        OptionalLong state = family.stateBytes(request);
        if (state.isEmpty()) {
            return;
        }
        long bytes = state.getAsLong();
        long need = bytes > Long.MAX_VALUE / TRAINING_COPIES ? Long.MAX_VALUE : bytes * TRAINING_COPIES;
        long budget = available();
        if (need > budget) {
            throw new UsageException(describe(request) + " has " + bytes + " bytes (" + SizeBudget.human(bytes)
                    + ") of parameters and buffers; training it needs about " + need + " bytes (" + SizeBudget.human(need)
                    + ") with its gradients and optimizer state, more than the " + budget + " bytes ("
                    + SizeBudget.human(budget) + ") this JVM can still allocate (raise -Xmx, or -D" + PROPERTY + ")");
        }
    }

    /**
     * Checks a checkpoint's header before anything is allocated: its tensors fit in memory, and, when
     * the family can tell, the model its {@code model_config} describes ({@code request}) fits and has
     * exactly the bytes of the file's model tensors.
     *
     * @throws UsageException naming the file, the sizes in bytes and the number of tensors
     */
    static void requireLoadable(Checkpoint.Header header, ModelFamily family, ModelRequest request) {
        Path file = header.file();
        long budget = available();
        try {
            header.requireWithin(budget);
        } catch (NablaException e) {
            throw new UsageException("cannot read " + Json.abbreviate(e.getMessage(), 400));
        }
        OptionalLong state;
        try {
            state = family.stateBytes(request);
        } catch (IllegalArgumentException e) {
            throw new UsageException("checkpoint " + file + " has a bad model_config: " + Json.abbreviate(e.getMessage(), 400));
        }
        if (state.isEmpty()) {
            return;
        }
        long bytes = state.getAsLong();
        if (bytes > budget) {
            throw new UsageException("checkpoint " + file + ": its model_config describes " + describe(request) + " of "
                    + bytes + " bytes (" + SizeBudget.human(bytes) + "), more than the " + budget + " bytes ("
                    + SizeBudget.human(budget) + ") this JVM can still allocate (raise -Xmx, or -D" + PROPERTY + ")");
        }
        if (bytes != header.modelBytes()) {
            throw new UsageException("checkpoint " + file + " does not match its model_config: " + describe(request)
                    + " has " + bytes + " bytes of parameters and buffers, the file holds " + header.modelBytes()
                    + " bytes in " + header.model().size() + " model tensors");
        }
    }

    /** {@code model 'realnvp' (blocks=4, hidden=40000)}, bounded. */
    static String describe(ModelRequest request) {
        Map<String, Object> keys = new TreeMap<>(request.keys());
        String k = keys.isEmpty() ? "" : " " + Json.abbreviate(keys.toString().replace('{', '(').replace('}', ')'), 200);
        return ("model '" + Json.abbreviate(request.model(), 80) + "'" + k).replaceAll("[\\r\\n\\t]+", " ");
    }
}
