package dev.nabla.models.family;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;

import java.util.Map;

/**
 * What {@link ModelFamily#build} is given.
 *
 * @param model      the model name (one of the family's)
 * @param dataset    the data set the model is (or was) trained on
 * @param keys       the model's keys ({@code --set KEY=VALUE}); values may be strings as typed on a command
 *                   line or numbers; read them with {@link dev.nabla.api.spi.Config} and refuse unknown ones by name
 * @param data       what {@link ModelFamily#describe} said about the data
 * @param tensors    where to allocate the parameters (the selected backend)
 * @param random     the generator to draw the initial parameters from
 * @param components the layers and flows the host offers
 */
public record ModelRequest(String model, String dataset, Map<String, Object> keys, Map<String, Object> data,
                           TensorFactory tensors, Generator random, Components components) {
    /** Copies the maps. */
    public ModelRequest {
        keys = Map.copyOf(keys);
        data = Map.copyOf(data);
    }
}
